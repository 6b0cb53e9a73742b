import { apiChannelAdapter } from '../api/api-channel.adapter.js';
import { emailChannelAdapter } from '../email/email-channel.adapter.js';
import { webchatChannelAdapter } from '../webchat/webchat-channel.adapter.js';
import { whatsappChannelAdapter } from '../whatsapp/whatsapp-channel.adapter.js';
import { xChannelAdapter } from '../x/x-channel.adapter.js';
import { whatsappWebChannelAdapter } from '../whatsapp-web/whatsapp-web-channel.adapter.js';
import { metaChannelAdapter } from '../meta/meta-channel.adapter.js';
import { smsChannelAdapter } from '../sms/sms-channel.adapter.js';
import { voiceChannelAdapter } from '../voice/voice-channel.adapter.js';
import type { ChannelAdapter, ChannelKind } from './channel-adapter.js';

/** Typed registry (CONVENTIONS 7): one key per channel kind, checked by the compiler. */
export const channelRegistry = {
  api: apiChannelAdapter,
  webchat: webchatChannelAdapter,
  email: emailChannelAdapter,
  x: xChannelAdapter,
  whatsapp: whatsappChannelAdapter,
  whatsapp_web: whatsappWebChannelAdapter,
  meta: metaChannelAdapter,
  sms: smsChannelAdapter,
  voice: voiceChannelAdapter,
} satisfies Record<ChannelKind, ChannelAdapter<unknown>>;

export function isChannelKind(kind: string): kind is ChannelKind {
  return Object.hasOwn(channelRegistry, kind);
}

export function adapterFor(kind: ChannelKind): ChannelAdapter<unknown> {
  return channelRegistry[kind];
}
