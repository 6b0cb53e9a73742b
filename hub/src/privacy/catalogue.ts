/**
 * Every table column that holds personal data (LFPDPPP art. 3 fr. V; seed-digest §7.5), with its
 * category, purpose and legal basis, and the columns whose names look personal but are not
 * (NOT_PERSONAL, with the reason). test/privacy/catalogue.test.ts fails when a migrated column
 * matching PERSONAL_NAME_PATTERN is in neither list: a new personal field must be catalogued
 * before it ships. docs/privacy-catalogue.md is generated from here (`npm run docs:privacy`).
 */
export type DataCategory = 'identificación' | 'contacto' | 'contenido' | 'sensible';
/** Whose data: the citizen (titular) or the staff and provider personnel (personal). */
export type DataSubject = 'titular' | 'personal';

export interface CatalogueEntry {
  table: string;
  column: string;
  category: DataCategory;
  subject: DataSubject;
  purpose: string;
  legalBasis: string;
  /** What governs its deletion: a retention kind of the campaign, an ARCO cancellation, or a note. */
  retention: string;
}

export interface NotPersonalEntry {
  table: string;
  column: string;
  reason: string;
}

/** Column names that suggest personal data; each match must be catalogued or listed as not personal. */
export const PERSONAL_NAME_PATTERN =
  /(^|_)(name|email|phone|curp|nss|rfc|body|address|birth|text|comment|comments|note|summary|ip|user_agent|number|raw|meta|official_id|answer|answers|utterance|subject|filename|file_name|storage_key|url|caption|transcript|value|details|payload|variables|entities)(_|$)/;

const B = {
  service: 'Art. 10 fr. IV LFPDPPP: necesario para atender la solicitud del titular (relación jurídica con la institución)',
  notice: 'Art. 8 LFPDPPP: consentimiento tácito informado en el aviso de privacidad del canal',
  recording: 'Obligación contractual: grabar y resguardar el 100 % de las interacciones (anexo técnico, seed §7.3)',
  health: 'Art. 9 LFPDPPP: puede contener datos de salud (sensibles); tratamiento necesario para el servicio médico-administrativo solicitado',
  staff: 'Relación laboral o contractual con el personal; medidas de seguridad (art. 19 LFPDPPP)',
  security: 'Art. 19 LFPDPPP: medidas de seguridad y bitácora de accesos (seed §7.4)',
  arco: 'Arts. 22–35 LFPDPPP: evidencia de la atención de derechos ARCO',
  campaign: 'Base de datos entregada por la institución para la campaña (seed §7.5: nombre, teléfono y correo)',
} as const;

const R = {
  messages: 'Retención de la campaña: mensajes (en línea → archivo → depuración); cancelación ARCO',
  attachments: 'Retención de la campaña: adjuntos (archivo borrado del disco); cancelación ARCO',
  recordings: 'Retención de la campaña: grabaciones (liga depurada); cancelación ARCO',
  contact: 'Mientras exista el contacto; cancelación ARCO (anonimización)',
  arco: 'Cancelación ARCO del contacto vinculado',
  staff: 'Mientras la cuenta del personal exista',
  audit: 'Bitácora inmutable (append-only): se conserva como evidencia',
  campaignList: 'Mientras exista el envío masivo de la campaña; cancelación ARCO (destinatario anonimizado, el renglón queda para la facturación)',
  callNumber: 'Cancelación ARCO (número anonimizado; la llamada queda para la facturación y los reportes)',
  appointment: 'Cancelación ARCO del titular (la cita o el trámite queda con marcadores, sin sus datos)',
  optOut: 'Mientras dure la campaña; se conserva tras la cancelación ARCO para respetar la baja',
} as const;

type Row = [column: string, category: DataCategory, purpose: string, legalBasis: string, retention: string];

function table(name: string, subject: DataSubject, rows: Row[]): CatalogueEntry[] {
  return rows.map(([column, category, purpose, legalBasis, retention]) => ({ table: name, column, category, subject, purpose, legalBasis, retention }));
}

export const PERSONAL_DATA_CATALOGUE: readonly CatalogueEntry[] = [
  ...table('contacts', 'titular', [
    ['display_name', 'identificación', 'Nombre del ciudadano para atenderlo y dirigirse a él', B.service, R.contact],
    ['curp', 'identificación', 'CURP para identificar al derechohabiente ante la institución', B.service, R.contact],
    ['rfc', 'identificación', 'RFC para identificar al ciudadano (trámites fiscales o patronales)', B.service, R.contact],
    ['nss', 'identificación', 'Número de seguridad social para identificar al derechohabiente', B.service, R.contact],
  ]),
  ...table('contact_identities', 'titular', [['value', 'contacto', 'Teléfono, correo o id de canal por el que el ciudadano escribe o llama', B.service, R.contact]]),
  ...table('messages', 'titular', [
    ['text', 'sensible', 'Contenido de la conversación con el ciudadano', B.health, R.messages],
    ['raw', 'sensible', 'Carga original del proveedor (evidencia de lo recibido)', B.health, R.messages],
    ['meta', 'contenido', 'Metadatos del canal: asunto, remitente, destinatarios, HTML del correo', B.service, R.messages],
    ['attachments', 'contenido', 'Adjuntos del mensaje: nombre de archivo, liga y descripción', B.service, R.attachments],
  ]),
  ...table('files', 'titular', [
    ['filename', 'contenido', 'Nombre del archivo enviado por el ciudadano o el agente', B.service, R.attachments],
    ['storage_key', 'contenido', 'Ubicación del archivo en disco (sus bytes son datos personales)', B.service, R.attachments],
  ]),
  ...table('conversation_notes', 'titular', [['text', 'sensible', 'Notas internas del personal sobre el caso del ciudadano', B.health, R.messages]]),
  ...table('conversation_wrap_ups', 'titular', [['summary', 'sensible', 'Resumen de cierre de la atención', B.health, R.messages]]),
  ...table('bot_sessions', 'titular', [['summary', 'contenido', 'Resumen del bot al transferir a un agente', B.service, R.messages]]),
  ...table('bot_turns', 'titular', [
    ['utterance', 'sensible', 'Lo que el ciudadano escribió al bot (para mejorar el modelo)', B.health, R.messages],
    ['entities', 'identificación', 'Datos extraídos por el bot (NSS, CURP, fechas)', B.service, R.messages],
  ]),
  ...table('survey_responses', 'titular', [
    ['comment', 'contenido', 'Comentario libre de la encuesta de salida', B.notice, R.messages],
    ['answers', 'contenido', 'Respuestas sí/no de la encuesta de salida', B.notice, 'Se conservan (solo sí/no, sin texto libre) para los resultados de la encuesta; la cancelación ARCO borra el comentario'],
  ]),
  ...table('webchat_sessions', 'titular', [
    ['name', 'identificación', 'Nombre dado en el formulario del chat web', B.notice, R.contact],
    ['email', 'contacto', 'Correo dado en el formulario del chat web', B.notice, R.contact],
    ['phone', 'contacto', 'Teléfono dado en el formulario del chat web', B.notice, R.contact],
    ['topic', 'contenido', 'Tema elegido al abrir el chat', B.notice, R.contact],
    ['ip', 'identificación', 'Dirección IP del visitante (seguridad y límites de uso)', B.security, R.contact],
    ['user_agent', 'identificación', 'Navegador del visitante (seguridad)', B.security, R.contact],
  ]),
  ...table('email_suppressions', 'titular', [['email', 'contacto', 'Correos que pidieron no recibir envíos masivos o rebotaron', B.notice, R.optOut]]),
  ...table('mass_mailing_recipients', 'titular', [
    ['email', 'contacto', 'Destinatario del envío masivo', B.campaign, R.campaignList],
    ['name', 'identificación', 'Nombre del destinatario', B.campaign, R.campaignList],
    ['variables', 'contenido', 'Datos del destinatario para personalizar el mensaje', B.campaign, R.campaignList],
  ]),
  ...table('mass_sms_recipients', 'titular', [
    ['phone', 'contacto', 'Destinatario del SMS masivo', B.campaign, R.campaignList],
    ['name', 'identificación', 'Nombre del destinatario', B.campaign, R.campaignList],
    ['variables', 'contenido', 'Datos del destinatario para personalizar el mensaje', B.campaign, R.campaignList],
  ]),
  ...table('sms_opt_outs', 'titular', [['phone', 'contacto', 'Teléfonos que pidieron no recibir SMS (BAJA)', B.notice, R.optOut]]),
  ...table('voice_blast_recipients', 'titular', [
    ['phone', 'contacto', 'Destinatario del mensaje de voz masivo', B.campaign, R.campaignList],
    ['name', 'identificación', 'Nombre del destinatario', B.campaign, R.campaignList],
    ['variables', 'contenido', 'Datos del destinatario para personalizar el mensaje', B.campaign, R.campaignList],
  ]),
  ...table('voice_do_not_call', 'titular', [['phone', 'contacto', 'Teléfonos que pidieron no recibir llamadas', B.notice, R.optOut]]),
  ...table('voice_calls', 'titular', [
    ['from_number', 'contacto', 'Número que llama (identificación de la llamada)', B.recording, R.callNumber],
    ['to_number', 'contacto', 'Número marcado', B.recording, R.callNumber],
    ['ivr_state', 'identificación', 'Datos capturados en el IVR (NSS, CURP, teléfono) y dígitos marcados', B.service, R.callNumber],
    ['outcome', 'identificación', 'Resultado del IVR con los datos capturados para la pantalla del agente', B.service, R.callNumber],
  ]),
  ...table('voice_recordings', 'titular', [['url', 'sensible', 'Liga a la grabación de la llamada (voz del ciudadano)', B.recording, R.recordings]]),
  ...table('voice_voicemails', 'titular', [
    ['recording_url', 'sensible', 'Liga al mensaje de voz grabado', B.recording, R.recordings],
    ['from_number', 'contacto', 'Número que dejó el mensaje de voz', B.recording, R.callNumber],
  ]),
  ...table('voice_callbacks', 'titular', [
    ['phone', 'contacto', 'Teléfono al que se devuelve la llamada', B.service, R.contact],
    ['name', 'identificación', 'Nombre de quien pidió la devolución de llamada', B.service, R.contact],
    ['note', 'contenido', 'Motivo escrito de la devolución de llamada', B.service, R.contact],
  ]),
  ...table('voice_agent_legs', 'personal', [['to_address', 'contacto', 'Teléfono o SIP del agente al que se conecta la llamada', B.staff, R.staff]]),
  ...table('voice_supervisor_legs', 'personal', [['to_address', 'contacto', 'Teléfono o SIP del supervisor', B.staff, R.staff]]),
  ...table('voice_agent_endpoints', 'personal', [['address', 'contacto', 'Teléfono o SIP registrado del agente', B.staff, R.staff]]),
  ...table('appointments', 'titular', [
    ['official_id', 'identificación', 'NSS o CURP con que se agenda la cita', B.service, R.appointment],
    ['family_group_id', 'identificación', 'Grupo familiar de la cita; por omisión el NSS o CURP de quien agenda', B.service, R.appointment],
    ['birth_date', 'identificación', 'Fecha de nacimiento para validar la identidad', B.service, R.appointment],
    ['cancel_reason', 'contenido', 'Motivo de cancelación de la cita', B.service, R.appointment],
  ]),
  ...table('appointment_events', 'titular', [['details', 'contenido', 'Historial de la cita: folio e ids, y el motivo o la nota escritos por el personal', B.service, R.appointment]]),
  ...table('appointment_cases', 'titular', [
    ['full_name', 'identificación', 'Nombre completo del solicitante del trámite', B.service, R.appointment],
    ['official_id', 'identificación', 'NSS o CURP del solicitante', B.service, R.appointment],
    ['birth_date', 'identificación', 'Fecha de nacimiento del solicitante', B.service, R.appointment],
    ['email', 'contacto', 'Correo para avisos del trámite', B.service, R.appointment],
    ['phone', 'contacto', 'Teléfono para avisos del trámite', B.service, R.appointment],
  ]),
  ...table('appointment_case_documents', 'titular', [
    ['file_name', 'sensible', 'Documentos del trámite (pueden incluir datos de salud)', B.health, R.appointment],
    ['storage_key', 'sensible', 'Ubicación del documento en disco (la cancelación ARCO borra el archivo)', B.health, R.appointment],
  ]),
  ...table('appointment_case_notices', 'titular', [['text', 'contenido', 'Avisos enviados al solicitante sobre su trámite', B.service, R.appointment]]),
  ...table('appointment_surveys', 'titular', [['comment', 'contenido', 'Comentario de la encuesta posterior a la cita', B.notice, R.appointment]]),
  ...table('interaction_events', 'titular', [
    ['payload', 'identificación', 'Historial de la interacción (ids); en las llamadas copia el número de devolución y los dígitos marcados en el IVR', B.recording, 'Bitácora inmutable (append-only); la cancelación ARCO aún no redacta los eventos de llamada (privacy/README.md)'],
  ]),
  ...table('privacy_arco_requests', 'titular', [
    ['requester_name', 'identificación', 'Nombre de quien ejerce el derecho ARCO', B.arco, 'Se conserva como evidencia de la solicitud'],
    ['requester_email', 'contacto', 'Correo para responder la solicitud ARCO', B.arco, 'Se conserva como evidencia de la solicitud'],
    ['requester_phone', 'contacto', 'Teléfono para responder la solicitud ARCO', B.arco, 'Se conserva como evidencia de la solicitud'],
    ['description', 'contenido', 'Lo que el titular pide', B.arco, 'Se conserva como evidencia de la solicitud'],
  ]),
  ...table('quality_evaluations', 'personal', [
    ['answers', 'contenido', 'Evaluación de calidad del agente', B.staff, R.staff],
    ['comments', 'contenido', 'Comentarios del analista sobre el agente', B.staff, R.staff],
  ]),
  ...table('internal_messages', 'personal', [['body', 'contenido', 'Mensajes internos entre el personal', B.staff, R.staff]]),
  ...table('supervision_whispers', 'personal', [['body', 'contenido', 'Indicaciones del supervisor al agente', B.staff, R.staff]]),
  ...table('supervision_takeovers', 'personal', [['reason_text', 'contenido', 'Motivo por el que el supervisor tomó la conversación', B.staff, R.staff]]),
  ...table('users', 'personal', [
    ['email', 'contacto', 'Correo de la cuenta del personal', B.staff, R.staff],
    ['display_name', 'identificación', 'Nombre del personal', B.staff, R.staff],
  ]),
  ...table('refresh_tokens', 'personal', [
    ['ip', 'identificación', 'IP de la sesión del personal', B.security, R.staff],
    ['user_agent', 'identificación', 'Navegador de la sesión del personal', B.security, R.staff],
  ]),
  ...table('audit_log', 'personal', [
    ['ip', 'identificación', 'IP de quien hizo la operación auditada', B.security, R.audit],
    ['user_agent', 'identificación', 'Navegador de quien hizo la operación auditada', B.security, R.audit],
  ]),
  ...table('report_tokens', 'personal', [['last_used_ip', 'identificación', 'IP del último uso del token de reportes', B.security, R.staff]]),
];

const config = 'Configuración de la campaña, no de personas';
const counters = 'Contadores numéricos, no datos de personas';
const ids = 'Solo identificadores y códigos (CONVENTIONS 5: las cargas llevan ids)';

export const NOT_PERSONAL: readonly NotPersonalEntry[] = [
  ...[
    ['agent_seats', 'load_text'],
    ['agent_seats', 'load_email'],
    ['agent_seats', 'cap_text'],
    ['agent_seats', 'cap_email'],
  ].map(([t, c]) => ({ table: t ?? '', column: c ?? '', reason: counters })),
  ...[
    ['campaigns', 'name'],
    ['channels', 'name'],
    ['queues', 'name'],
    ['skills', 'name'],
    ['canned_responses', 'body'],
    ['kb_articles', 'body'],
    ['bot_models', 'note'],
    ['ivr_models', 'note'],
    ['quality_scorecards', 'name'],
    ['appointment_procedures', 'name'],
    ['appointment_external_settings', 'base_url'],
    ['mass_mailings', 'name'],
    ['mass_mailings', 'subject'],
    ['mass_mailings', 'body_text'],
    ['mass_mailings', 'body_html'],
    ['mass_mailings', 'qr_text'],
    ['mass_sms', 'name'],
    ['mass_sms', 'body'],
    ['voice_blasts', 'name'],
    ['voice_blasts', 'message_text'],
    ['voice_blasts', 'audio_url'],
    ['report_tokens', 'name'],
    ['wallboard_thresholds', 'value'],
  ].map(([t, c]) => ({ table: t ?? '', column: c ?? '', reason: `${config} (plantillas con variables, sin datos del destinatario)` })),
  { table: 'audit_log', column: 'details', reason: 'Ids y nombres de campos; nunca valores (contacts.routes.ts: "field names only"), resúmenes con digest' },
  { table: 'outbox', column: 'payload', reason: ids },
  { table: 'appointment_reminders', column: 'answer', reason: 'Código de respuesta (yes / no / score)' },
  { table: 'appointment_replies', column: 'answer', reason: 'Código de respuesta (yes / no / score)' },
  { table: 'appointments', column: 'official_id_kind', reason: 'Tipo de identificador (nss / curp), no el valor' },
  { table: 'appointment_cases', column: 'official_id_kind', reason: 'Tipo de identificador (nss / curp), no el valor' },
  { table: 'kpi_contact_facts', column: 'answer_wait_ms', reason: 'Duración en milisegundos' },
  { table: 'schema_migrations', column: 'name', reason: 'Nombre del archivo de migración' },
  { table: 'kpi_cursor', column: 'name', reason: 'Nombre interno del cursor del proceso' },
  { table: 'router_state', column: 'value', reason: 'Estado interno del enrutador (ids y contadores)' },
  { table: 'voice_calls', column: 'conference_name', reason: 'Nombre técnico de la conferencia (folio)' },
  { table: 'voice_conferences', column: 'name', reason: 'Nombre técnico de la conferencia (folio)' },
];

export interface Catalogue {
  entries: readonly CatalogueEntry[];
  notPersonal: readonly NotPersonalEntry[];
}

export function catalogueKey(table: string, column: string): string {
  return `${table}.${column}`;
}

/** Columns matching the pattern that neither list accounts for (the completeness check). */
export function uncatalogued(columns: readonly { table: string; column: string }[]): string[] {
  const known = new Set([...PERSONAL_DATA_CATALOGUE, ...NOT_PERSONAL].map((e) => catalogueKey(e.table, e.column)));
  return columns
    .filter((c) => PERSONAL_NAME_PATTERN.test(c.column) && !known.has(catalogueKey(c.table, c.column)))
    .map((c) => catalogueKey(c.table, c.column))
    .sort();
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

/** docs/privacy-catalogue.md, byte for byte (the docs test compares the committed file). */
export function catalogueMarkdown(): string {
  const lines = [
    '# Catálogo de datos personales / personal-data catalogue',
    '',
    'Generado desde `hub/src/privacy/catalogue.ts` con `npm run docs:privacy`; no editar a mano.',
    'Generated from `hub/src/privacy/catalogue.ts` by `npm run docs:privacy`; do not edit by hand.',
    '',
    '| Tabla | Columna | Categoría | Titular | Finalidad | Base legal | Conservación |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...PERSONAL_DATA_CATALOGUE.map((e) => `| ${e.table} | ${e.column} | ${e.category} | ${e.subject} | ${escapeCell(e.purpose)} | ${escapeCell(e.legalBasis)} | ${escapeCell(e.retention)} |`),
    '',
    '## Columnas revisadas sin datos personales / reviewed, not personal',
    '',
    '| Tabla | Columna | Motivo |',
    '| --- | --- | --- |',
    ...NOT_PERSONAL.map((e) => `| ${e.table} | ${e.column} | ${escapeCell(e.reason)} |`),
    '',
  ];
  return lines.join('\n');
}
