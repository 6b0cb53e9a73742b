export { metaChannelAdapter, META_SIGNATURE_HEADER, type MetaChannelAdapter } from './meta-channel.adapter.js';
export { metaChannelSettingsSchema, type MetaChannelSettings, type MetaChannelSettingsInput } from './meta-channel.schema.js';
export { metaWindowHours, META_HUMAN_AGENT_WINDOW_HOURS, META_STANDARD_WINDOW_HOURS } from './meta-encode.js';
export { metaContactId, parseMetaContactId, type MetaNetwork } from './meta-recipient.js';
