import type { IvrTreeInput } from '@ventanilla/voice-bridge';

/**
 * What a voice channel answers with while its campaign has no IVR in production: the privacy
 * notice, then the agents' line (the channel's queue, else the campaign's default). A public
 * line must never leave a caller in silence because nobody published a menu yet.
 */
export const DEFAULT_IVR_TREE: IvrTreeInput = {
  schemaVersion: 1,
  name: 'Predeterminado — aviso de privacidad y fila',
  language: 'es-MX',
  voice: 'Polly.Mia',
  start: 'aviso-privacidad',
  nodes: {
    'aviso-privacidad': {
      type: 'privacy',
      prompt: {
        text: 'Gracias por llamar. Aviso de privacidad: los datos personales que nos proporcione en esta llamada se usarán solo para atender su solicitud.',
      },
      next: 'fila',
    },
    fila: { type: 'queue', prompt: { text: 'En un momento le atiende un asesor.' } },
  },
};
