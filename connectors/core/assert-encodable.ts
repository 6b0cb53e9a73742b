import type { ChannelCapabilities } from './channel-adapter.js';
import type { OutboundContent } from './outbound-message.js';

export type EncodableResult = { ok: true } | { ok: false; code: string; reason: string };

/**
 * Whether a channel can carry this content at all, checked by the hub before `encodeOutbound`
 * (adapters may then assume it): files only where `media`, buttons and lists only where
 * `interactive`, templates only where `templates`, and no text longer than `maxTextLength`
 * (a provider would cut it or refuse it; the agent must know before it is "sent").
 * Codes are the generic ones of delivery-errors.ts.
 */
export function assertEncodable(capabilities: ChannelCapabilities, content: OutboundContent): EncodableResult {
  const missing = (what: string): EncodableResult => ({ ok: false, code: 'capability_missing', reason: `channel cannot carry ${what}` });
  switch (content.type) {
    case 'text':
      if (!capabilities.text) return missing('text');
      return fits(capabilities, content.text);
    case 'image':
    case 'audio':
    case 'video':
    case 'file':
      if (!capabilities.media) return missing('files');
      return fits(capabilities, content.text);
    case 'interactive':
      if (!capabilities.interactive) return missing('interactive messages');
      return fits(capabilities, content.text);
    case 'template':
      return capabilities.templates ? { ok: true } : missing('templates');
    default: {
      const exhaustive: never = content;
      return { ok: false, code: 'capability_missing', reason: `unknown content ${JSON.stringify(exhaustive)}` };
    }
  }
}

function fits(capabilities: ChannelCapabilities, text: string | undefined): EncodableResult {
  const length = text === undefined ? 0 : [...text].length;
  return length > capabilities.maxTextLength
    ? { ok: false, code: 'text_too_long', reason: `text has ${length} characters; the channel takes at most ${capabilities.maxTextLength}` }
    : { ok: true };
}
