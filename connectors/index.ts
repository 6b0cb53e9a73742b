export * from './core/index.js';
export { apiChannelAdapter, API_SIGNATURE_HEADER } from './api/api-channel.adapter.js';
export { apiChannelSettingsSchema, type ApiChannelSettings } from './api/api-channel.schema.js';
