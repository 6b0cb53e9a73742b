export { voiceChannelSettingsSchema, type VoiceChannelSettings, type VoiceChannelSettingsInput } from './voice-channel.schema.js';
export { createTwilioVoiceRest, VoiceRestError, type VoiceRest, type CreateCallInput, type AddParticipantInput, type UpdateParticipantInput } from './voice-rest.js';
export { voiceChannelAdapter } from './voice-channel.adapter.js';
