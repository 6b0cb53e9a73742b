import type { Lang } from '../../i18n/lang.js';
import { interpolate } from '../../i18n/lang.js';

/** The softphone's texts, Spanish first (the inbox's language switch picks the catalogue). */
const esMX = {
  title: 'Teléfono web',
  loading: 'Preparando el teléfono web…',
  registering: 'Conectando el teléfono web…',
  ready: 'Teléfono web listo para recibir llamadas',
  incoming: 'Llamada entrante · folio {folio}',
  incomingNoFolio: 'Llamada entrante de {from}',
  onCall: 'En llamada · folio {folio}',
  onCallNoFolio: 'En llamada con {from}',
  muted: 'Micrófono silenciado',
  notConfigured: 'Teléfono web no configurado: {message}',
  elsewhere: 'Las llamadas se envían a su teléfono ({address})',
  errorMicrophone: 'No hay acceso al micrófono. Permita el micrófono en el navegador para atender llamadas.',
  errorToken: 'El hub rechazó el acceso del teléfono web: {message}',
  errorNetwork: 'Sin conexión con el servicio de voz. Revise su red; reintentando…',
  errorUnknown: 'El teléfono web falló: {message}',
  answer: 'Contestar',
  reject: 'Rechazar',
  mute: 'Silenciar',
  unmute: 'Activar micrófono',
  hangup: 'Colgar',
  retry: 'Reintentar',
  autoAnswer: 'Contestar automáticamente',
} as const;

export type SoftphoneMessageKey = keyof typeof esMX;

const en: Record<SoftphoneMessageKey, string> = {
  title: 'Softphone',
  loading: 'Preparing the softphone…',
  registering: 'Connecting the softphone…',
  ready: 'Softphone ready to take calls',
  incoming: 'Incoming call · folio {folio}',
  incomingNoFolio: 'Incoming call from {from}',
  onCall: 'On a call · folio {folio}',
  onCallNoFolio: 'On a call with {from}',
  muted: 'Microphone muted',
  notConfigured: 'Softphone not configured: {message}',
  elsewhere: 'Calls go to your phone ({address})',
  errorMicrophone: 'No microphone access. Allow the microphone in the browser to take calls.',
  errorToken: 'The hub refused the softphone access: {message}',
  errorNetwork: 'No connection to the voice service. Check your network; retrying…',
  errorUnknown: 'The softphone failed: {message}',
  answer: 'Answer',
  reject: 'Reject',
  mute: 'Mute',
  unmute: 'Unmute',
  hangup: 'Hang up',
  retry: 'Retry',
  autoAnswer: 'Answer automatically',
};

export function softphoneText(lang: Lang, key: SoftphoneMessageKey, values?: Record<string, string | number>): string {
  return interpolate(lang === 'en' ? en[key] : esMX[key], values);
}
