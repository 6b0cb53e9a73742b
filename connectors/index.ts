export * from './core/index.js';
export { apiChannelAdapter, API_SIGNATURE_HEADER } from './api/api-channel.adapter.js';
export { apiChannelSettingsSchema, type ApiChannelSettings } from './api/api-channel.schema.js';
export { webchatChannelAdapter, widgetFileUrl } from './webchat/webchat-channel.adapter.js';
export { webchatChannelSettingsSchema, DEFAULT_WIDGET_ACCEPT, type WebchatChannelSettings, type WebchatChannelSettingsInput } from './webchat/webchat-channel.schema.js';
export { widgetMessageSchema, type WebchatWidgetMessage } from './webchat/webchat-message.schema.js';
export * from './email/index.js';
