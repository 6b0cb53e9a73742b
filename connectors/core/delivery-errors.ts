/**
 * Provider failure reasons, translated for the agent (es-MX first). Codes are normalised
 * by each adapter; an unknown code still shows the provider's own words.
 */
const KNOWN: Record<string, { es: string; en: string }> = {
  recipient_unreachable: { es: 'El destinatario no está disponible en este canal', en: 'Recipient is not reachable on this channel' },
  recipient_blocked: { es: 'El ciudadano bloqueó los mensajes de este número', en: 'The citizen blocked messages from this sender' },
  invalid_recipient: { es: 'El destinatario no es válido', en: 'Invalid recipient' },
  window_closed: { es: 'La ventana de atención de 24 horas está cerrada: se requiere una plantilla', en: '24-hour window closed: a template is required' },
  rate_limited: { es: 'El proveedor limitó el envío; se reintentará', en: 'Provider rate limit; will retry' },
  media_rejected: { es: 'El proveedor rechazó el archivo adjunto', en: 'The provider rejected the attachment' },
  no_callback_url: { es: 'El canal no tiene URL de retorno configurada', en: 'The channel has no callback URL' },
  no_secret: { es: 'El canal no tiene secreto de firma configurado', en: 'The channel has no signing secret' },
  network_error: { es: 'No se pudo contactar al proveedor', en: 'Could not reach the provider' },
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
};

export function translateDeliveryError(code: string, providerReason: string, locale: 'es-MX' | 'en' = 'es-MX'): string {
  const known = KNOWN[code] ?? (/^http_5\d\d$/.test(code) ? { es: 'El proveedor tuvo un error interno', en: 'Provider internal error' } : undefined);
  const lead = known ? (locale === 'en' ? known.en : known.es) : locale === 'en' ? 'The provider rejected the message' : 'El proveedor rechazó el mensaje';
  const detail = providerReason.trim();
  return detail && detail !== lead ? `${lead} (${code}: ${detail.slice(0, 300)})` : `${lead} (${code})`;
}
