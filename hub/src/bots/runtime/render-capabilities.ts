import type { RenderCapabilities } from '@ventanilla/bots';
import type { ChannelCapabilities, ChannelKind } from '@ventanilla/connectors/core';

/** Reply buttons per message where the adapter does not say: WhatsApp's limit, the strictest provider that has them. */
const DEFAULT_MAX_BUTTONS = 3;
/** Channels that draw options themselves (or as numbered text) take a longer menu. */
const WIDE_MENU_KINDS: ReadonlySet<ChannelKind> = new Set<ChannelKind>(['webchat', 'api']);

/** What the bot may render on a channel, from its adapter's declared capabilities. */
export function renderCapabilitiesOf(kind: ChannelKind, capabilities: ChannelCapabilities): RenderCapabilities {
  return {
    interactive: capabilities.interactive,
    maxButtons: WIDE_MENU_KINDS.has(kind) ? 10 : DEFAULT_MAX_BUTTONS,
    maxTextLength: capabilities.maxTextLength,
  };
}
