import { DecodeError, type ChannelAdapter } from '../core/channel-adapter.js';
import { voiceChannelSettingsSchema, type VoiceChannelSettings } from './voice-channel.schema.js';

/**
 * A Twilio Voice channel (issue 8). Calls are not messages: Twilio's voice webhooks are answered
 * by the voice bridge (`/webhooks/voice/:channelId/…`, ingress 'voice'), which verifies
 * X-Twilio-Signature itself. This adapter registers the kind (settings, secrets, the admin
 * console) and fails closed for everything message-shaped: nothing reaches the generic webhook
 * route, and an agent's text reply to a call is refused with a reason instead of being lost.
 */
export const voiceChannelAdapter: ChannelAdapter<VoiceChannelSettings> = {
  kind: 'voice',
  displayName: 'Teléfono (Twilio Voice)',
  ingress: 'voice',
  capabilities: {
    text: false,
    media: false,
    location: false,
    interactive: false,
    templates: false,
    deliveryReceipts: false,
    readReceipts: false,
    maxTextLength: 0,
  },
  settingsSchema: voiceChannelSettingsSchema,
  secretNames: ['authToken', 'apiKeySecret'],
  secretSource: 'provided',
  verifyRequest: () => ({ ok: false, reason: 'voice channels are answered by the voice bridge (/webhooks/voice/:channelId/…)' }),
  decodeInbound: () => {
    throw new DecodeError('voice channels carry calls, not messages: the voice bridge answers their webhooks');
  },
  encodeOutbound(message) {
    return { body: { kind: message.content.type } };
  },
  async send() {
    return { ok: false, retryable: false, code: 'voice_no_text', reason: 'Un canal de voz no envía mensajes de texto / a voice channel does not send text messages' };
  },
};
