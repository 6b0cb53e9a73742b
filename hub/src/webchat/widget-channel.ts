import { webchatChannelSettingsSchema, type WebchatChannelSettings } from '@ventanilla/connectors';
import type { ChannelStore } from '../channels/channel-store.js';
import type { Channel } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';

export interface WidgetChannel {
  row: Channel;
  settings: WebchatChannelSettings;
}

/** An enabled web chat channel, or 404: a disabled one answers like an unknown one. */
export async function loadWidgetChannel(channels: ChannelStore, channelId: string): Promise<WidgetChannel> {
  const channel = await webchatChannel(channels, channelId);
  if (!channel?.row.enabled) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
  return channel;
}

/** A web chat channel, enabled or not (staff still read a disabled channel's conversations). */
export async function webchatChannel(channels: ChannelStore, channelId: string): Promise<WidgetChannel | null> {
  const channel = await channels.get(channelId);
  if (!channel || channel.kind !== 'webchat') return null;
  const settings = typedSettings(channel.settings);
  return settings ? { row: channel.row, settings } : null;
}

/**
 * The store parsed the settings with this very schema but keeps them `unknown`; parsing again
 * types them. Once per object the store hands out (it reloads every few seconds), not per request.
 */
const parsedSettings = new WeakMap<object, WebchatChannelSettings>();

function typedSettings(stored: unknown): WebchatChannelSettings | null {
  const cached = typeof stored === 'object' && stored !== null ? parsedSettings.get(stored) : undefined;
  if (cached) return cached;
  const parsed = webchatChannelSettingsSchema.safeParse(stored);
  if (!parsed.success) return null;
  if (typeof stored === 'object' && stored !== null) parsedSettings.set(stored, parsed.data);
  return parsed.data;
}

/** Whether the page's Origin header is one the channel lets embed its widget (exact match). */
export function originAllowed(settings: Pick<WebchatChannelSettings, 'allowedOrigins'>, origin: string | undefined): origin is string {
  return origin !== undefined && settings.allowedOrigins.includes(origin);
}
