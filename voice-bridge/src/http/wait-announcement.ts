import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { IvrTree } from '../ivr/ivr.schema.js';
import { isTwilioVoice } from '../ivr/ivr-twiml.js';

/**
 * What a caller hears while in line (seed §3 item 2: hold music, position and estimated wait,
 * L1574, L8207; the option to leave a voicemail instead of waiting, L8212, L4695). Twilio
 * fetches the <Enqueue> waitUrl again each time this document ends, so the announcement is
 * refreshed after every pass of the music.
 */

/**
 * A classical recording from the playlist Twilio itself plays to queued callers when no waitUrl is
 * set (the composition, Chopin's Nocturne op. 15 no. 2, is in the public domain). Campaigns should
 * set their own recording; this default only keeps the line from being silent.
 */
export const DEFAULT_HOLD_MUSIC_URL = 'http://com.twilio.music.classical.s3.amazonaws.com/ith_chopin-15-2.mp3';

export interface WaitInfo {
  position: number;
  estimatedWaitSeconds: number | null;
}

/** Same voice and language as the IVR prompts; a voice Twilio would reject falls back to its default. */
export function sayAttributes(tree: Pick<IvrTree, 'language' | 'voice'>): VoiceResponse.SayAttributes {
  return isTwilioVoice(tree.voice) ? { language: tree.language, voice: tree.voice } : { language: tree.language };
}

export function waitAnnouncementText(info: WaitInfo): string {
  const position = Math.max(1, Math.round(info.position));
  const parts = [position === 1 ? 'Usted es la siguiente persona en ser atendida.' : `Usted es la persona número ${position} en la fila.`];
  if (info.estimatedWaitSeconds !== null && Number.isFinite(info.estimatedWaitSeconds) && info.estimatedWaitSeconds >= 0) {
    // Whole minutes, never "0 minutos": a caller told zero minutes who then waits feels misled.
    const minutes = Math.max(1, Math.ceil(info.estimatedWaitSeconds / 60));
    parts.push(minutes === 1 ? 'El tiempo estimado de espera es de 1 minuto.' : `El tiempo estimado de espera es de ${minutes} minutos.`);
  }
  return parts.join(' ');
}

export const WAIT_OPTIONS_TEXT = 'Para dejar un mensaje de voz, marque 1; para que le devolvamos la llamada, marque 2.';

export function waitTwiml(options: { info: WaitInfo; tree: Pick<IvrTree, 'language' | 'voice'>; holdMusicUrl: string; choiceUrl: string }): string {
  const response = new twilio.twiml.VoiceResponse();
  const say = sayAttributes(options.tree);
  response.say(say, waitAnnouncementText(options.info));
  // The music plays inside the Gather so the caller can choose at any moment, not only after it.
  const gather = response.gather({ input: ['dtmf'], numDigits: 1, timeout: 2, action: options.choiceUrl, method: 'POST' });
  gather.say(say, WAIT_OPTIONS_TEXT);
  gather.play(options.holdMusicUrl);
  return response.toString();
}
