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
};

export function translateDeliveryError(code: string, providerReason: string, locale: 'es-MX' | 'en' = 'es-MX'): string {
  const known = KNOWN[code] ?? (/^http_5\d\d$/.test(code) ? { es: 'El proveedor tuvo un error interno', en: 'Provider internal error' } : undefined);
  const lead = known ? (locale === 'en' ? known.en : known.es) : locale === 'en' ? 'The provider rejected the message' : 'El proveedor rechazó el mensaje';
  const detail = providerReason.trim();
  return detail && detail !== lead ? `${lead} (${code}: ${detail.slice(0, 300)})` : `${lead} (${code})`;
}
