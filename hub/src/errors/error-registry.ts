/**
 * The one registry of API error codes (CONVENTIONS 11). Codes are stable: clients and
 * provider integrations branch on them. Messages are Spanish first, English second.
 */
export const errorRegistry = {
  HUB_ERR_VALIDATION: { status: 400, message: 'La solicitud no es válida / invalid request' },
  HUB_ERR_MALFORMED_BODY: { status: 400, message: 'El cuerpo no es JSON válido / malformed body' },
  HUB_ERR_CONTACT_INVALID_ID: { status: 400, message: 'Identificador oficial inválido / invalid official id' },
  HUB_ERR_CONTACT_INVALID_PHONE: { status: 400, message: 'Número telefónico inválido / invalid phone number' },
  HUB_ERR_CONTACT_INVALID_EMAIL: { status: 400, message: 'Correo electrónico inválido / invalid email' },
  HUB_ERR_AUTH_REQUIRED: { status: 401, message: 'Se requiere autenticación / authentication required' },
  HUB_ERR_AUTH_INVALID_CREDENTIALS: { status: 401, message: 'Usuario o contraseña incorrectos / wrong email or password' },
  HUB_ERR_AUTH_TOKEN_INVALID: { status: 401, message: 'Token inválido o vencido / invalid or expired token' },
  HUB_ERR_AUTH_REFRESH_INVALID: { status: 401, message: 'Sesión vencida o revocada / refresh token invalid or revoked' },
  HUB_ERR_AUTH_SESSION_REVOKED: { status: 401, message: 'La sesión fue cerrada; inicie sesión de nuevo / session ended, log in again' },
  HUB_ERR_WEBHOOK_SIGNATURE: { status: 401, message: 'Firma ausente o inválida / missing or invalid signature' },
  HUB_ERR_FORBIDDEN_ROLE: { status: 403, message: 'Su rol no permite esta operación / role not allowed' },
  HUB_ERR_FORBIDDEN_CAMPAIGN: { status: 403, message: 'No pertenece a esta campaña / not a member of this campaign' },
  HUB_ERR_USER_DISABLED: { status: 403, message: 'Usuario deshabilitado / user disabled' },
  HUB_ERR_NOT_FOUND: { status: 404, message: 'No encontrado / not found' },
  HUB_ERR_CHANNEL_NOT_FOUND: { status: 404, message: 'Canal desconocido / unknown channel' },
  HUB_ERR_CONVERSATION_NOT_FOUND: { status: 404, message: 'Conversación no encontrada / conversation not found' },
  HUB_ERR_CONTACT_NOT_FOUND: { status: 404, message: 'Contacto no encontrado / contact not found' },
  HUB_ERR_USER_NOT_FOUND: { status: 404, message: 'Usuario no encontrado / user not found' },
  HUB_ERR_CAMPAIGN_NOT_FOUND: { status: 404, message: 'Campaña no encontrada / campaign not found' },
  HUB_ERR_CONFLICT: { status: 409, message: 'Conflicto con el estado actual / conflict' },
  HUB_ERR_SUPERVISION_NOT_LIVE: { status: 409, message: 'Solo se supervisa una conversación abierta y asignada a un agente / only an open conversation assigned to an agent can be supervised' },
  HUB_ERR_SUPERVISION_OWN_SESSION: { status: 409, message: 'La conversación ya está asignada a usted / the conversation is already yours' },
  HUB_ERR_SUPERVISION_NOT_MONITORING: { status: 409, message: 'No está monitoreando esta conversación / you are not monitoring this conversation' },
  HUB_ERR_SUPERVISION_VOICE_UNAVAILABLE: { status: 503, message: 'La supervisión de llamadas no está disponible en este servidor / call supervision is not available on this server' },
  HUB_ERR_VOICE_SUPERVISION_NO_AGENT: { status: 409, message: 'La llamada no tiene un agente conectado que supervisar / the call has no connected agent to supervise' },
  HUB_ERR_VOICE_SUPERVISION_ON_HOLD: { status: 409, message: 'La llamada está en espera; intente cuando el agente la retome / the call is on hold; try again when the agent resumes it' },
  HUB_ERR_VOICE_SUPERVISION_CALL_ENDED: { status: 409, message: 'La llamada ya terminó / the call has ended' },
  HUB_ERR_VOICE_SUPERVISION_ALREADY_JOINED: { status: 409, message: 'Ya está en esta llamada como supervisor / you are already on this call as a supervisor' },
  HUB_ERR_VOICE_SUPERVISION_NOT_JOINED: { status: 409, message: 'No está en esta llamada como supervisor / you are not on this call as a supervisor' },
  HUB_ERR_VOICE_SUPERVISION_NOT_ANSWERED: { status: 409, message: 'Su teléfono aún no contesta la llamada de supervisión / your phone has not answered the supervision call yet' },
  HUB_ERR_VOICE_SUPERVISION_OWN_CALL: { status: 409, message: 'Usted es quien atiende esta llamada / you are the one serving this call' },
  HUB_ERR_CONVERSATION_CLOSED: { status: 409, message: 'La conversación está cerrada / conversation is closed' },
  HUB_ERR_SURVEY_ANSWERED: { status: 409, message: 'La encuesta de esta conversación ya fue respondida / the survey of this conversation was already answered' },
  HUB_ERR_SURVEY_DISABLED: { status: 409, message: 'La encuesta de salida no está activa en esta campaña / the exit survey is not enabled for this campaign' },
  HUB_ERR_IDENTITY_TAKEN: { status: 409, message: 'El identificador ya pertenece a otro contacto / identity belongs to another contact' },
  HUB_ERR_ROUTING_INVALID: { status: 400, message: 'La configuración de enrutamiento no es válida / invalid routing configuration' },
  HUB_ERR_QUEUE_NOT_FOUND: { status: 404, message: 'Fila no encontrada / queue not found' },
  HUB_ERR_OFFER_NOT_FOUND: { status: 404, message: 'Oferta no encontrada / offer not found' },
  HUB_ERR_OFFER_EXPIRED: { status: 409, message: 'La oferta ya no está vigente / the offer is no longer open' },
  HUB_ERR_AGENT_NOT_AGENT: { status: 400, message: 'El usuario no tiene el rol de agente / the user is not an agent' },
  HUB_ERR_AGENT_UNAVAILABLE: { status: 409, message: 'El agente no está disponible / the agent is not available' },
  HUB_ERR_AGENT_AT_CAPACITY: { status: 409, message: 'El agente no tiene capacidad libre / the agent has no spare capacity' },
  HUB_ERR_AGENT_STATE_INVALID: { status: 409, message: 'Cambio de estado no permitido / state change not allowed' },
  HUB_ERR_NOT_ASSIGNEE: { status: 403, message: 'La conversación no está asignada a usted / the conversation is not assigned to you' },
  HUB_ERR_TRANSFER_INVALID: { status: 409, message: 'Transferencia no posible / transfer not possible' },
  HUB_ERR_DISPOSITION_REQUIRED: {
    status: 400,
    message: 'Seleccione de 1 a 5 tipificaciones activas de la campaña para cerrar la conversación / choose 1 to 5 active disposition codes of the campaign to close the conversation',
  },
  HUB_ERR_DISPOSITION_INVALID: { status: 400, message: 'Tipificación no válida para esta conversación / disposition code not valid for this conversation' },
  HUB_ERR_DISPOSITION_TREE_INVALID: { status: 400, message: 'Posición no válida en el árbol de tipificaciones / invalid place in the disposition tree' },
  HUB_ERR_DISPOSITION_CODE_NOT_FOUND: { status: 404, message: 'Tipificación no encontrada / disposition code not found' },
  HUB_ERR_CANNED_VARIABLE_UNKNOWN: { status: 400, message: 'La respuesta usa una variable desconocida / the response uses an unknown variable' },
  HUB_ERR_CANNED_RESPONSE_NOT_FOUND: { status: 404, message: 'Respuesta predefinida no encontrada / canned response not found' },
  HUB_ERR_KB_ARTICLE_NOT_FOUND: { status: 404, message: 'Artículo no encontrado / knowledge-base article not found' },
  HUB_ERR_MASS_MAIL_NOT_FOUND: { status: 404, message: 'Envío masivo no encontrado / mass mailing not found' },
  HUB_ERR_MASS_MAIL_STATE: { status: 409, message: 'La operación no es posible en el estado actual del envío / not possible in the mailing’s current status' },
  HUB_ERR_MASS_MAIL_CHANNEL_INVALID: { status: 400, message: 'Elija un canal de correo de esta campaña / choose an e-mail channel of this campaign' },
  HUB_ERR_MASS_MAIL_NO_RECIPIENTS: { status: 409, message: 'El envío no tiene destinatarios pendientes; cargue una lista / the mailing has no pending recipients; upload a list' },
  HUB_ERR_MASS_MAIL_VARIABLE_UNKNOWN: { status: 400, message: 'La plantilla usa una variable que la lista no tiene / the template uses a variable the list does not have' },
  HUB_ERR_MASS_MAIL_LIST_INVALID: { status: 400, message: 'La lista de destinatarios no se pudo leer / the recipient list could not be read' },
  HUB_ERR_MASS_SMS_NOT_FOUND: { status: 404, message: 'Envío masivo de SMS no encontrado / mass SMS not found' },
  HUB_ERR_MASS_SMS_STATE: { status: 409, message: 'La operación no es posible en el estado actual del envío de SMS / not possible in the mass SMS’s current status' },
  HUB_ERR_MASS_SMS_CHANNEL_INVALID: { status: 400, message: 'Elija un canal SMS de esta campaña / choose an SMS channel of this campaign' },
  HUB_ERR_MASS_SMS_NO_RECIPIENTS: { status: 409, message: 'El envío de SMS no tiene destinatarios pendientes; cargue una lista / the mass SMS has no pending recipients; upload a list' },
  HUB_ERR_MASS_SMS_VARIABLE_UNKNOWN: { status: 400, message: 'El texto usa una variable que la lista no tiene / the text uses a variable the list does not have' },
  HUB_ERR_MASS_SMS_LIST_INVALID: { status: 400, message: 'La lista de números no se pudo leer / the phone list could not be read' },
  HUB_ERR_VOICE_BLAST_NOT_FOUND: { status: 404, message: 'Campaña de mensajes de voz no encontrada / voice blast not found' },
  HUB_ERR_VOICE_BLAST_STATE: { status: 409, message: 'La operación no es posible en el estado actual de la campaña de voz / not possible in the voice blast’s current status' },
  HUB_ERR_VOICE_BLAST_CHANNEL_INVALID: { status: 400, message: 'Elija un canal de voz de esta campaña / choose a voice channel of this campaign' },
  HUB_ERR_VOICE_BLAST_QUEUE_INVALID: { status: 400, message: 'Elija una fila de esta campaña para la opción «hablar con un asesor» / choose a queue of this campaign for the talk-to-an-agent option' },
  HUB_ERR_VOICE_BLAST_NO_RECIPIENTS: { status: 409, message: 'La campaña de voz no tiene destinatarios pendientes; cargue una lista / the voice blast has no pending recipients; upload a list' },
  HUB_ERR_VOICE_BLAST_VARIABLE_UNKNOWN: { status: 400, message: 'El mensaje usa una variable que la lista no tiene / the message uses a variable the list does not have' },
  HUB_ERR_VOICE_RECORDING_NOT_FOUND: { status: 404, message: 'Grabación no encontrada / recording not found' },
  HUB_ERR_VOICE_RECORDING_UNAVAILABLE: { status: 502, message: 'No se pudo obtener la grabación de Twilio; intente más tarde / the recording could not be fetched from Twilio; try again later' },
  HUB_ERR_VOICE_BLAST_LIST_INVALID: { status: 400, message: 'La lista de números no se pudo leer / the phone list could not be read' },
  HUB_ERR_UNSUBSCRIBE_TOKEN_INVALID: { status: 400, message: 'El enlace para darse de baja no es válido / invalid unsubscribe link' },
  HUB_ERR_BODY_TOO_LARGE: { status: 413, message: 'El cuerpo excede el límite / body too large' },
  HUB_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Tipo de contenido no soportado / unsupported content type' },
  HUB_ERR_FILE_MISSING: {
    status: 400,
    message: 'Falta el archivo: envíe multipart/form-data con una parte llamada "file" / missing file: send multipart/form-data with a part named "file"',
  },
  HUB_ERR_FILE_NOT_IN_CONVERSATION: { status: 400, message: 'El archivo no pertenece a esta conversación / the file does not belong to this conversation' },
  HUB_ERR_FILE_NOT_FOUND: { status: 404, message: 'Archivo no encontrado / file not found' },
  HUB_ERR_FILE_TOO_LARGE: { status: 413, message: 'El archivo excede el tamaño máximo permitido / the file is larger than allowed' },
  HUB_ERR_FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    message:
      'Tipo de archivo no permitido; se aceptan imágenes (JPEG, PNG, GIF, WebP), PDF, texto, CSV, audio (OGG, MP3, M4A), video MP4 y documentos Word o Excel (DOCX, XLSX) / file type not allowed; accepted: images (JPEG, PNG, GIF, WebP), PDF, plain text, CSV, audio (OGG, MP3, M4A), MP4 video, Word or Excel documents (DOCX, XLSX)',
  },
  HUB_ERR_EMAIL_CHANNEL_MISSING: { status: 409, message: 'La campaña no tiene un canal de correo habilitado / the campaign has no enabled e-mail channel' },
  HUB_ERR_EMAIL_SEND_FAILED: { status: 502, message: 'El servidor de correo rechazó el envío / the mail server refused the message' },
  HUB_ERR_WIDGET_ORIGIN: {
    status: 403,
    message: 'Este sitio no puede usar el chat de este canal / this site may not use this channel\'s web chat (origin not allowed, or the token was issued to another site)',
  },
  HUB_ERR_WIDGET_TOKEN_INVALID: { status: 401, message: 'La sesión del chat no es válida o venció; vuelva a iniciar el chat / invalid or expired web chat session, start the chat again' },
  HUB_ERR_WIDGET_TOKEN_CHANNEL: { status: 403, message: 'La sesión del chat pertenece a otro canal / the web chat session belongs to another channel' },
  HUB_ERR_WIDGET_CLOSED: {
    status: 409,
    message: 'Estamos fuera del horario de atención; puede dejarnos un mensaje / we are outside service hours; you may leave a message',
  },
  HUB_ERR_WIDGET_CAPTCHA: { status: 400, message: 'La verificación anti-robots falló o venció; inténtelo de nuevo / the anti-bot check failed or expired, try again' },
  HUB_ERR_WIDGET_ATTACHMENTS_DISABLED: { status: 403, message: 'Este chat no acepta archivos adjuntos / this chat does not accept attachments' },
  HUB_ERR_WIDGET_LEAVE_MESSAGE_DISABLED: { status: 403, message: 'Este chat no recibe mensajes fuera de horario / this chat does not take messages outside service hours' },
  HUB_ERR_WIDGET_NO_CONVERSATION: { status: 404, message: 'Aún no tiene una conversación en este chat / there is no conversation in this chat yet' },
  HUB_ERR_WIDGET_SURVEY_NOT_DUE: { status: 409, message: 'La encuesta se responde al terminar la conversación / the survey is answered once the conversation has ended' },
  HUB_ERR_CHANNEL_CAPABILITY: { status: 400, message: 'El canal de esta conversación no puede enviar este tipo de mensaje / this conversation’s channel cannot send this kind of message' },
  HUB_ERR_WINDOW_CLOSED: {
    status: 409,
    message: 'Han pasado más de 24 h desde el último mensaje del ciudadano: envíe una plantilla aprobada. / More than 24 h since the citizen\'s last message: send an approved template.',
  },
  HUB_ERR_TEMPLATE_UNKNOWN: { status: 400, message: 'La plantilla no está en el catálogo aprobado del canal / the template is not in the channel’s approved catalogue' },
  HUB_ERR_TEMPLATE_VARIABLES: { status: 400, message: 'El número de variables no coincide con la plantilla / the number of variables does not match the template' },
  HUB_ERR_IVR_MODEL_NOT_FOUND: { status: 404, message: 'Versión del menú telefónico (IVR) no encontrada / IVR model version not found' },
  HUB_ERR_IVR_MODEL_INVALID: { status: 400, message: 'El menú telefónico (IVR) no es válido; revise los problemas señalados / the IVR tree is not valid, see the problems listed' },
  HUB_ERR_IVR_MODEL_NOT_DRAFT: { status: 409, message: 'Solo el borrador del IVR se puede publicar / only the IVR draft can be promoted' },
  HUB_ERR_BOT_MODEL_NOT_FOUND: { status: 404, message: 'Versión del modelo del bot no encontrada / bot model version not found' },
  HUB_ERR_BOT_MODEL_INVALID: { status: 400, message: 'El modelo del bot no es válido; revise los problemas señalados / the bot model is not valid, see the problems listed' },
  HUB_ERR_BOT_MODEL_NOT_DRAFT: { status: 409, message: 'Solo un borrador se puede modificar o entrenar; cree un borrador nuevo / only a draft can be edited or trained, create a new draft' },
  HUB_ERR_BOT_TRAINING: {
    status: 409,
    message: 'El borrador se está entrenando o cambió durante el entrenamiento; espere e inténtelo de nuevo / the draft is being trained or changed while training, wait and try again',
  },
  HUB_ERR_BOT_TRAINING_FAILED: { status: 422, message: 'No se pudo entrenar el modelo / the model could not be trained' },
  HUB_ERR_BOT_NOT_TRAINED: { status: 409, message: 'Entrene el modelo antes de probarlo o publicarlo / train the model before testing or promoting it' },
  HUB_ERR_BOT_ALREADY_PRODUCTION: { status: 409, message: 'Esta versión ya está en producción / this version is already in production' },
  HUB_ERR_BOT_NO_PREVIOUS: { status: 409, message: 'No hay una versión anterior en producción a la cual regresar / there is no earlier production version to roll back to' },
  HUB_ERR_BOT_TURN_NOT_FOUND: { status: 404, message: 'Mensaje del bot no encontrado / bot turn not found' },
  HUB_ERR_BOT_TURN_REVIEWED: { status: 409, message: 'Este mensaje ya fue revisado / this utterance was already reviewed' },
  HUB_ERR_BOT_INTENT_UNKNOWN: { status: 400, message: 'La intención no existe en el borrador / the intent does not exist in the draft' },
  HUB_ERR_QUALITY_SCORECARD_INVALID: { status: 400, message: 'La guía de monitoreo no es válida / invalid quality scorecard' },
  HUB_ERR_QUALITY_SCORECARD_LOCKED: { status: 409, message: 'Solo se modifica una guía en borrador; cree una nueva versión / only a draft scorecard can change; create a new version' },
  HUB_ERR_QUALITY_NO_SCORECARD: { status: 409, message: 'La campaña no tiene una guía de monitoreo activa / the campaign has no active quality scorecard' },
  HUB_ERR_QUALITY_SAMPLE_EXISTS: { status: 409, message: 'Ya existe la muestra de ese mes, campaña y canal / the sample of that month, campaign and channel already exists' },
  HUB_ERR_QUALITY_SAMPLE_EVALUATED: { status: 409, message: 'La muestra ya tiene evaluaciones; no puede volver a sortearse / the sample has evaluations and cannot be redrawn' },
  HUB_ERR_QUALITY_ANSWERS_INVALID: { status: 400, message: 'Responda cada punto de la guía, y solo esos / answer every item of the scorecard, and only those' },
  HUB_ERR_QUALITY_NOT_ASSIGNED: { status: 403, message: 'Esta interacción está asignada a otro analista de calidad / this interaction is assigned to another quality analyst' },
  HUB_ERR_QUALITY_ITEM_NOT_FOUND: { status: 404, message: 'La interacción no está en la muestra / the interaction is not in the sample' },
  HUB_ERR_RATE_LIMITED: { status: 429, message: 'Demasiadas solicitudes / too many requests' },
  HUB_ERR_INTERNAL: { status: 500, message: 'Error interno / internal error' },
  HUB_ERR_UNAVAILABLE: { status: 503, message: 'Servicio no disponible / service unavailable' },
  HUB_ERR_BILLING_MONTH_CLOSED: { status: 409, message: 'El mes ya está cerrado; su estado de cuenta no cambia (el consumo tardío se factura como ajuste del siguiente mes) / the month is already closed' },
  HUB_ERR_BILLING_MONTH_NOT_ENDED: { status: 409, message: 'El mes aún no termina en la zona horaria de la campaña; ciérrelo cuando termine / the month has not ended in the campaign’s time zone' },
  HUB_ERR_BILLING_DEDUCTIONS_NOT_VALIDATED: { status: 409, message: 'Las deductivas de niveles de servicio del mes están propuestas: valide las deductivas antes de cerrar / validate the month’s SLA deductions before closing' },
  HUB_ERR_BILLING_EARLIER_MONTH_OPEN: { status: 409, message: 'Un mes anterior con consumo sigue abierto; cierre los meses en orden / an earlier month with usage is still open: close the months in order' },
} as const satisfies Record<`HUB_ERR_${string}`, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorRegistry;

export class HubError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly details?: unknown,
  ) {
    super(detail ?? errorRegistry[code].message);
    this.name = 'HubError';
    this.statusCode = errorRegistry[code].status;
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string };
}

export function errorBody(code: ErrorCode, message?: string, details?: unknown, requestId?: string): ErrorBody {
  return {
    error: {
      code,
      message: message ?? errorRegistry[code].message,
      ...(details === undefined ? {} : { details }),
      ...(requestId === undefined ? {} : { requestId }),
    },
  };
}
