export { whatsappChannelAdapter, WHATSAPP_SIGNATURE_HEADER } from './whatsapp-channel.adapter.js';
export { whatsappChannelSettingsSchema, type WhatsAppChannelSettings } from './whatsapp-channel.schema.js';
export { WHATSAPP_PROVIDER_STATUSES, mapGraphError } from './whatsapp-errors.js';
export type { WhatsAppMessagePayload } from './whatsapp-encode.js';
