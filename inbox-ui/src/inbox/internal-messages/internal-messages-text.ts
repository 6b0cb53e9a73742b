import { interpolate, type Lang } from '../../i18n/lang.js';

/** The internal-messages panel's texts, Spanish first. */
const esMX = {
  title: 'Mensajes internos',
  unread: '{count} sin leer',
  empty: 'Sin mensajes internos',
  newMessage: 'Nuevo mensaje',
  to: 'Para',
  chooseRecipient: 'Elija a quién escribir',
  body: 'Mensaje',
  send: 'Enviar',
  back: 'Volver',
  noContacts: 'No tiene a quién escribir en sus campañas',
  read: 'Leído',
  you: 'Usted',
  tooLong: 'Máximo {max} caracteres',
  received: 'Mensaje interno de {name}: {body}',
  failed: 'No se pudo enviar: {message}',
  allAgents: 'Todos los agentes · {campaign}',
  broadcastSent: 'Enviado a {count} agentes',
} as const;

export type InternalMessagesKey = keyof typeof esMX;

const en: Record<InternalMessagesKey, string> = {
  title: 'Internal messages',
  unread: '{count} unread',
  empty: 'No internal messages',
  newMessage: 'New message',
  to: 'To',
  chooseRecipient: 'Choose whom to write to',
  body: 'Message',
  send: 'Send',
  back: 'Back',
  noContacts: 'Nobody to write to in your campaigns',
  read: 'Read',
  you: 'You',
  tooLong: 'At most {max} characters',
  received: 'Internal message from {name}: {body}',
  failed: 'Could not send: {message}',
  allAgents: 'All agents · {campaign}',
  broadcastSent: 'Sent to {count} agents',
};

export function internalMessagesText(lang: Lang, key: InternalMessagesKey, values?: Record<string, string | number>): string {
  return interpolate(lang === 'en' ? en[key] : esMX[key], values);
}
