export { emailChannelAdapter } from './email-channel.adapter.js';
export {
  emailChannelSettingsSchema,
  emailChannelSecretsSchema,
  renderEmailTemplate,
  messageIdDomainOf,
  DEFAULT_AUTO_ACK_SUBJECT,
  DEFAULT_AUTO_ACK_TEXT,
  type EmailChannelSettings,
  type EmailChannelSecrets,
} from './email-channel.schema.js';
export { classifyAutomated, type AutomatedKind } from './email-classify.js';
export { parseDeliveryReport, bounceStatusEvent, type DsnReport, type DsnSource } from './email-dsn.js';
export { sanitizeEmailHtml } from './email-sanitize.js';
export { parseEmail, type ParsedEmail, type ParsedEmailAttachment, type ParseEmailOptions } from './email-parse.js';
export { encodeEmail } from './email-encode.js';
export { encodedEmailSchema, type EncodedEmail } from './email-encoded.schema.js';
export { closeSmtpTransports } from './email-transport.js';
export { headersFromLines, parseHeaderBlock, messageIdsIn, type HeaderBag } from './email-headers.js';
