export { startWhatsAppHarness, type GraphCall, type GraphFailure, type HarnessMedia, type WebhookResult, type WhatsAppHarness } from './whatsapp-harness.js';
export { messageWebhook, statusWebhook, newWamid, HARNESS_WABA_ID, type CitizenMessage, type MetaStatusWord, type StatusUpdate } from './whatsapp-payloads.js';
