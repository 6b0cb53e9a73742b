import type { Lang } from '../../i18n/lang.js';
import { interpolate } from '../../i18n/lang.js';

/** The call panel's texts, Spanish first (the inbox's language switch picks the catalogue). */
const esMX = {
  title: 'Llamada',
  caller: 'Número',
  state: 'Estado',
  ivr: 'Opciones en el IVR',
  captured: 'Datos capturados',
  legs: 'Participantes',
  recordings: 'Grabaciones',
  noRecordings: 'Sin grabaciones',
  hold: 'Poner en espera',
  resume: 'Retomar',
  transfer: 'Transferir',
  conference: 'Conferencia',
  hangup: 'Colgar',
  conferenceTo: 'Número a agregar (E.164)',
  conferenceAdd: 'Agregar',
  listen: 'Escuchar grabación',
  listenLabel: 'Escuchar la grabación {name}',
  download: 'Descargar',
  downloadLabel: 'Descargar la grabación {name}',
  loadingAudio: 'Cargando el audio…',
  audioLabel: 'Reproductor de la grabación {name}',
  audioError: 'No se pudo obtener la grabación',
  recordingPending: 'Grabando…',
  seconds: '{n} s',
  thirdParty: 'Tercero',
  'state.in_queue': 'En fila',
  'state.ringing': 'Timbrando',
  'state.talking': 'En conversación',
  'state.on_hold': 'En espera',
  'state.ended': 'Terminada',
} as const;

export type CallMessageKey = keyof typeof esMX;

const en: Record<CallMessageKey, string> = {
  title: 'Call',
  caller: 'Number',
  state: 'State',
  ivr: 'IVR choices',
  captured: 'Captured data',
  legs: 'Participants',
  recordings: 'Recordings',
  noRecordings: 'No recordings',
  hold: 'Hold',
  resume: 'Resume',
  transfer: 'Transfer',
  conference: 'Conference',
  hangup: 'Hang up',
  conferenceTo: 'Number to add (E.164)',
  conferenceAdd: 'Add',
  listen: 'Play recording',
  listenLabel: 'Play the recording {name}',
  download: 'Download',
  downloadLabel: 'Download the recording {name}',
  loadingAudio: 'Loading the audio…',
  audioLabel: 'Player for the recording {name}',
  audioError: 'The recording could not be fetched',
  recordingPending: 'Recording…',
  seconds: '{n} s',
  thirdParty: 'Third party',
  'state.in_queue': 'In line',
  'state.ringing': 'Ringing',
  'state.talking': 'Talking',
  'state.on_hold': 'On hold',
  'state.ended': 'Ended',
};

export function callText(lang: Lang, key: CallMessageKey, values?: Record<string, string | number>): string {
  return interpolate(lang === 'en' ? en[key] : esMX[key], values);
}
