export { xChannelAdapter, X_MAX_DM_LENGTH } from './x-channel.adapter.js';
export { xChannelSettingsSchema, type XChannelSettings, type XChannelSettingsInput } from './x-channel.schema.js';
export { xSignature, verifyXSignature, X_SIGNATURE_HEADER } from './x-signature.js';
