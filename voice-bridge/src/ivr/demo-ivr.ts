/**
 * The demo campaign's IVR (an IMSS-like line, seed-digest §1.2, L5751): hours, welcome and privacy
 * notice, then appointments (NSS + birth date → the `citas_medicas` skill), folio status, contributed
 * weeks, or an agent.
 *
 * Folio status: our folios look like `DH-YYYYMMDD-NNNNNN`, and a phone keypad has no letters or
 * dashes, so the caller keys the 14 digits (YYYYMMDDNNNNNN) into `folio_digits`. The hub's
 * `folioStatus` port rebuilds the folio with the campaign's prefix before looking it up; the prompt
 * reads back the digits the caller keyed ({{folio}}).
 */
import type { IvrTreeInput } from './ivr.schema.js';

export const DEMO_IVR_NAME = 'Demo IMSS — Línea de atención';

export const demoIvrTree: IvrTreeInput = {
  schemaVersion: 1,
  name: DEMO_IVR_NAME,
  language: 'es-MX',
  voice: 'Polly.Mia',
  start: 'horario',
  repeatedGoodbye: { text: 'Ya le compartimos esta información dos veces. Gracias por llamar al IMSS; hasta luego.' },
  nodes: {
    horario: { type: 'hours', open: 'bienvenida', closed: 'fuera-de-horario', holiday: 'dia-inhabil' },
    // Closed: the hours, then a voicemail or a call-back in business hours (issue 8 items 5–6).
    'fuera-de-horario': {
      type: 'menu',
      prompt: {
        text: 'Gracias por llamar al IMSS. Nuestro horario de atención es de lunes a viernes, de 8 de la mañana a 8 de la noche. También puede hacer sus trámites en imss punto gob punto mx. Para dejarnos un mensaje de voz, marque 1 o diga «mensaje». Para que un asesor le devuelva la llamada, marque 2 o diga «llamada». Para terminar, marque 3.',
      },
      options: [
        { digit: '1', speech: ['mensaje', 'buzón', 'recado'], next: 'buzon-de-voz' },
        { digit: '2', speech: ['llamada', 'llámenme', 'regresar la llamada'], next: 'devolver-llamada' },
        { digit: '3', speech: ['terminar', 'salir', 'colgar', 'adiós'], next: 'despedida' },
      ],
      speech: true,
      invalid: { text: 'No le entendí.' },
      maxAttempts: 2,
      timeoutSeconds: 6,
    },
    'buzon-de-voz': { type: 'voicemail' },
    'devolver-llamada': {
      type: 'callback',
      confirm: { text: 'Le llamaremos al número {{phone}} en horario de atención. Su folio es {{folio}}. Gracias por llamar al IMSS; hasta luego.' },
    },
    'dia-inhabil': {
      type: 'hangup',
      prompt: {
        text: 'Gracias por llamar al IMSS. Hoy es día inhábil y no tenemos asesores disponibles. Llámenos el siguiente día hábil, de 8 de la mañana a 8 de la noche. Hasta luego.',
      },
    },
    bienvenida: { type: 'say', prompt: { text: 'Bienvenido a la línea de atención del IMSS.' }, next: 'aviso-privacidad' },
    'aviso-privacidad': {
      type: 'privacy',
      prompt: {
        text: 'Aviso de privacidad: los datos personales que nos proporcione en esta llamada se usarán solo para atender su solicitud. Consulte el aviso de privacidad integral en imss punto gob punto mx.',
      },
      next: 'menu-principal',
    },
    'menu-principal': {
      type: 'menu',
      prompt: {
        text: 'Para citas médicas, marque 1 o diga «citas». Para conocer el estatus de un folio, marque 2 o diga «folio». Para información de semanas cotizadas, marque 3. Para hablar con un asesor, marque 0.',
      },
      options: [
        { digit: '1', speech: ['cita', 'agendar', 'consulta médica'], next: 'captura-nss' },
        { digit: '2', speech: ['folio', 'estatus', 'trámite', 'seguimiento'], next: 'captura-folio' },
        { digit: '3', speech: ['semanas cotizadas', 'semana', 'cotizaciones'], next: 'semanas-cotizadas' },
        { digit: '0', speech: ['asesor', 'agente', 'operador', 'persona'], next: 'cola-asesor' },
      ],
      speech: true,
      invalid: { text: 'No le entendí.' },
      maxAttempts: 3,
      timeoutSeconds: 6,
      // A caller the menu cannot help still reaches a person on a public-service line.
      onFail: 'cola-asesor',
    },
    'captura-nss': {
      type: 'capture',
      field: 'nss',
      kind: 'nss',
      prompt: { text: 'Marque los 11 dígitos de su número de seguridad social.' },
      invalid: { text: 'El número de seguridad social no es válido.' },
      maxAttempts: 3,
      next: 'captura-nacimiento',
      onFail: 'cola-asesor',
    },
    'captura-nacimiento': {
      type: 'capture',
      field: 'fecha_nacimiento',
      kind: 'date',
      prompt: { text: 'Marque su fecha de nacimiento: dos dígitos del día, dos del mes y cuatro del año.' },
      invalid: { text: 'La fecha no es válida.' },
      maxAttempts: 3,
      next: 'cola-citas',
      onFail: 'cola-asesor',
    },
    'cola-citas': {
      type: 'queue',
      prompt: { text: 'Gracias. En un momento un asesor le ayudará con su cita.' },
      skill: 'citas_medicas',
    },
    'captura-folio': {
      type: 'capture',
      field: 'folio_digits',
      kind: 'digits',
      numDigits: 14,
      prompt: { text: 'Marque los 14 dígitos de su folio, sin las letras.' },
      invalid: { text: 'El folio debe tener 14 dígitos.' },
      maxAttempts: 3,
      next: 'estatus-folio',
      onFail: 'cola-asesor',
    },
    'estatus-folio': {
      type: 'folio_status',
      field: 'folio_digits',
      found: { text: 'Su folio {{folio}} está: {{status}}.' },
      notFound: { text: 'No encontramos el folio {{folio}}.' },
      next: 'menu-folio',
    },
    'menu-folio': {
      type: 'menu',
      prompt: { text: 'Para escuchar de nuevo la información, marque 1. Para hablar con un asesor, marque 2. Para terminar, marque 3.' },
      options: [
        { digit: '1', speech: ['repetir', 'otra vez', 'de nuevo'], next: 'estatus-folio' },
        { digit: '2', speech: ['asesor', 'agente', 'operador', 'persona'], next: 'cola-asesor' },
        { digit: '3', speech: ['terminar', 'salir', 'colgar', 'adiós'], next: 'despedida' },
      ],
      speech: true,
      invalid: { text: 'No le entendí.' },
      maxAttempts: 3,
      timeoutSeconds: 6,
    },
    'semanas-cotizadas': {
      type: 'say',
      prompt: {
        text: 'Puede obtener su constancia de semanas cotizadas en imss punto gob punto mx, con su CURP y un correo electrónico, o en la aplicación IMSS Digital.',
      },
      next: 'menu-principal',
    },
    'cola-asesor': { type: 'queue', prompt: { text: 'En un momento le atiende un asesor.' } },
    despedida: { type: 'hangup', prompt: { text: 'Gracias por llamar al IMSS. Hasta luego.' } },
  },
};
