import type { WidgetLocale } from '@ventanilla/hub/widget-contract';
import { isHexColor } from './contrast.js';
import { normaliseLocale } from './widget-i18n.js';

/** What the host page wrote on the script tag; each optional value overrides the channel's config. */
export interface EmbedOptions {
  channelId: string;
  /** Where the hub is: the folder the script was loaded from (its origin, plus a path prefix if any). */
  baseUrl: string;
  locale: WidgetLocale | null;
  position: 'bottom-right' | 'bottom-left' | null;
  title: string | null;
  primaryColor: string | null;
}

const CHANNEL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `<script src="https://hub.example/widget.js" data-channel="…" async>`: reads the tag; null when
 * it cannot name a channel (nothing is drawn then, rather than a widget that cannot work).
 */
export function readEmbedOptions(src: string, data: Record<string, string | undefined>): EmbedOptions | null {
  const channelId = data['channel']?.trim() ?? '';
  if (!CHANNEL_ID.test(channelId)) return null;
  let baseUrl: string;
  try {
    baseUrl = new URL('./', src).href.replace(/\/$/, '');
  } catch {
    return null;
  }
  const position = data['position']?.trim();
  const title = data['title']?.trim();
  const color = data['primaryColor']?.trim();
  return {
    channelId,
    baseUrl,
    locale: normaliseLocale(data['locale']),
    position: position === 'bottom-left' || position === 'bottom-right' ? position : null,
    title: title ? title.slice(0, 80) : null,
    primaryColor: color && isHexColor(color) ? color : null,
  };
}
