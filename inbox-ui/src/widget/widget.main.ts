import { readEmbedOptions } from './embed-options.js';
import { bootWidget } from './widget-boot.js';

/**
 * widget.js — what a ministry's page loads with one tag:
 *   <script src="https://hub.example/widget.js" data-channel="<channel id>" async></script>
 * optional: data-locale, data-position, data-title, data-primary-color.
 * `document.currentScript` is only set while this file first runs, so it is read right away.
 */
function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // Injected by a tag manager in a way that leaves currentScript unset: find our tag.
  return document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]');
}

const script = ownScript();
const options = script ? readEmbedOptions(script.src, { ...script.dataset }) : null;
if (!options) console.warn('[ventanilla] widget.js needs data-channel="<channel id>" on its script tag');
else if (document.body) void bootWidget(options);
else document.addEventListener('DOMContentLoaded', () => void bootWidget(options), { once: true });
