export { whatsappWebChannelAdapter, encodeWhatsAppWeb } from './whatsapp-web-channel.adapter.js';
export {
  whatsappWebChannelSettingsSchema,
  whatsappWebOutboundSchema,
  whatsappChatIdSchema,
  type WhatsAppWebChannelSettings,
  type WhatsAppWebOutbound,
} from './whatsapp-web-channel.schema.js';
export {
  fromLibraryMessage,
  fromLibraryReaction,
  fromAck,
  ackName,
  isCitizenChat,
  MESSAGE_ACK,
  WWEBJS_ACK_STATUSES,
  wwebjsMessageSchema,
  wwebjsReactionSchema,
  type WwebjsMessageLike,
  type WwebjsReactionLike,
  type MessageAckName,
} from './whatsapp-web-inbound.js';
export { parseVCard, type VCardContact } from './whatsapp-web-vcard.js';
export { createWhatsAppWebClient, type WwebjsClientLike, type WwebjsClientFactory, type WwebjsClientOptions, type WwebjsMediaLike, type WwebjsRuntime } from './whatsapp-web-client.js';
