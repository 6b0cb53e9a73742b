import { emailChannelSettingsSchema, type EmailChannelSettings } from '@ventanilla/connectors';
import type { LoadedChannel } from '../channels/channel-store.js';
import type { HubContext } from '../runtime/context.js';

/** An enabled e-mail channel with its settings typed (the channel store keeps them as unknown). */
export interface EmailChannel {
  channel: LoadedChannel;
  settings: EmailChannelSettings;
}

export function asEmailChannel(channel: LoadedChannel | null): EmailChannel | null {
  if (!channel || channel.kind !== 'email' || !channel.row.enabled) return null;
  const parsed = emailChannelSettingsSchema.safeParse(channel.settings);
  return parsed.success ? { channel, settings: parsed.data } : null;
}

export async function loadEmailChannel(ctx: Pick<HubContext, 'channels'>, channelId: string): Promise<EmailChannel | null> {
  return asEmailChannel(await ctx.channels.get(channelId));
}
