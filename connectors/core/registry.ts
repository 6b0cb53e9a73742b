import { apiChannelAdapter } from '../api/api-channel.adapter.js';
import { emailChannelAdapter } from '../email/email-channel.adapter.js';
import { webchatChannelAdapter } from '../webchat/webchat-channel.adapter.js';
import type { ChannelAdapter, ChannelKind } from './channel-adapter.js';

/** Typed registry (CONVENTIONS 7): one key per channel kind, checked by the compiler. */
export const channelRegistry = {
  api: apiChannelAdapter,
  webchat: webchatChannelAdapter,
  email: emailChannelAdapter,
} satisfies Record<ChannelKind, ChannelAdapter<unknown>>;

export function isChannelKind(kind: string): kind is ChannelKind {
  return Object.hasOwn(channelRegistry, kind);
}

export function adapterFor(kind: ChannelKind): ChannelAdapter<unknown> {
  return channelRegistry[kind];
}
