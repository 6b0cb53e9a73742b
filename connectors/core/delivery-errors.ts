/**
 * Provider failure reasons, translated for the agent (es-MX first). Codes are normalised
 * by each adapter; an unknown code still shows the provider's own words.
 */
const KNOWN: Record<string, { es: string; en: string }> = {
  recipient_unreachable: { es: 'El destinatario no está disponible en este canal', en: 'Recipient is not reachable on this channel' },
  recipient_blocked: { es: 'El ciudadano bloqueó los mensajes de este número', en: 'The citizen blocked messages from this sender' },
  invalid_recipient: { es: 'El destinatario no es válido', en: 'Invalid recipient' },
  window_closed: {
    es: 'La ventana de atención del canal está cerrada: envíe una plantilla aprobada o espere a que el ciudadano vuelva a escribir',
    en: "The channel's customer-service window is closed: send an approved template or wait for the citizen to write again",
  },
  rate_limited: { es: 'El proveedor limitó el envío; se reintentará', en: 'Provider rate limit; will retry' },
  media_rejected: { es: 'El proveedor rechazó el archivo adjunto', en: 'The provider rejected the attachment' },
  no_callback_url: { es: 'El canal no tiene URL de retorno configurada', en: 'The channel has no callback URL' },
  no_secret: { es: 'El canal no tiene secreto de firma configurado', en: 'The channel has no signing secret' },
  network_error: { es: 'No se pudo contactar al proveedor', en: 'Could not reach the provider' },
  provider_reply_invalid: { es: 'El proveedor aceptó el mensaje pero su respuesta no se pudo leer; no se reenvía para no duplicarlo', en: 'The provider accepted the message but its reply was unreadable; not resent to avoid a duplicate' },
  template_rejected: { es: 'WhatsApp rechazó la plantilla: no existe, no está aprobada o sus variables no coinciden', en: 'WhatsApp rejected the template: missing, not approved, or its variables do not match' },
  provider_auth_failed: { es: 'El token de acceso del canal expiró o no es válido; un administrador debe actualizarlo', en: 'The channel access token expired or is invalid; an admin must update it' },
  invalid_parameter: { es: 'El proveedor rechazó un dato del mensaje', en: 'The provider rejected a parameter of the message' },
  unsupported_message_type: { es: 'El proveedor no admite este tipo de mensaje', en: 'The provider does not support this message type' },
  provider_error: { es: 'El proveedor tuvo un error temporal; se reintentará', en: 'Temporary provider error; will retry' },
  no_access_token: { es: 'El canal no tiene token de acceso configurado', en: 'The channel has no access token' },
  no_email_address: { es: 'El contacto no tiene dirección de correo electrónico', en: 'The contact has no e-mail address' },
  attachment_missing: { es: 'No se encontró el archivo adjunto', en: 'The attachment could not be found' },
  smtp_auth_missing: { es: 'El canal de correo no tiene contraseña SMTP configurada', en: 'The e-mail channel has no SMTP password' },
  smtp_auth_failed: { es: 'El servidor de correo rechazó las credenciales del canal', en: 'The mail server rejected the channel credentials' },
  smtp_error: { es: 'Error al enviar el correo; se reintentará', en: 'Error sending the e-mail; will retry' },
  smtp_421: { es: 'El servidor de correo no está disponible por ahora; se reintentará', en: 'Mail server temporarily unavailable; will retry' },
  smtp_450: { es: 'El buzón del destinatario no está disponible por ahora; se reintentará', en: 'Recipient mailbox temporarily unavailable; will retry' },
  smtp_451: { es: 'El servidor de correo tuvo un error temporal; se reintentará', en: 'Temporary mail server error; will retry' },
  smtp_452: { es: 'El servidor de correo no tiene espacio por ahora; se reintentará', en: 'Mail server out of space for now; will retry' },
  smtp_550: { es: 'El buzón del destinatario no existe o rechazó el correo', en: 'The recipient mailbox does not exist or refused the e-mail' },
  smtp_552: { es: 'El buzón del destinatario está lleno o el correo es demasiado grande', en: 'Recipient mailbox full or message too large' },
  smtp_553: { es: 'La dirección de correo del destinatario no es válida', en: 'The recipient e-mail address is not valid' },
  smtp_554: { es: 'El servidor de correo rechazó el mensaje', en: 'The mail server rejected the message' },
  email_bounced: { es: 'El correo rebotó: el servidor del destinatario no lo entregó', en: 'The e-mail bounced: the recipient server did not deliver it' },
  session_unavailable: { es: 'La sesión de WhatsApp Web no está conectada; se reintentará', en: 'The WhatsApp Web session is not connected; will retry' },
  not_on_whatsapp: { es: 'El número no tiene WhatsApp', en: 'The number is not on WhatsApp' },
  ack_error: { es: 'WhatsApp no pudo entregar el mensaje', en: 'WhatsApp could not deliver the message' },
  quick_replies_limit: { es: 'Messenger e Instagram admiten como máximo 13 respuestas rápidas por mensaje', en: 'Messenger and Instagram allow at most 13 quick replies per message' },
  capability_missing: { es: 'Este canal no puede enviar este tipo de mensaje', en: 'This channel cannot send this kind of message' },
  text_too_long: { es: 'El texto es más largo de lo que admite el canal', en: 'The text is longer than the channel allows' },
  template_unknown: { es: 'La plantilla no está en el catálogo aprobado del canal', en: 'The template is not in the channel’s approved catalogue' },
  media_too_large: { es: 'El archivo excede el tamaño que admite el canal', en: 'The file is larger than the channel allows' },
  invalid_phone: { es: 'El número telefónico del destinatario no es válido', en: 'The recipient phone number is not valid' },
  recipient_opted_out: { es: 'El ciudadano pidió no recibir más mensajes en este canal (envió ALTO/STOP)', en: 'The citizen opted out of messages on this channel (sent STOP)' },
  message_filtered: { es: 'El operador filtró el mensaje como no deseado', en: 'The carrier filtered the message as unwanted' },
};

export function translateDeliveryError(code: string, providerReason: string, locale: 'es-MX' | 'en' = 'es-MX'): string {
  const known = KNOWN[code] ?? (/^http_5\d\d$/.test(code) ? { es: 'El proveedor tuvo un error interno', en: 'Provider internal error' } : undefined);
  const lead = known ? (locale === 'en' ? known.en : known.es) : locale === 'en' ? 'The provider rejected the message' : 'El proveedor rechazó el mensaje';
  const detail = providerReason.trim();
  return detail && detail !== lead ? `${lead} (${code}: ${detail.slice(0, 300)})` : `${lead} (${code})`;
}
