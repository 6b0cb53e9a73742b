import type { WidgetConfig } from '@ventanilla/hub/widget-contract';
import { accessiblePalette } from './contrast.js';
import type { EmbedOptions } from './embed-options.js';
import { WidgetApi } from './widget-api.js';
import { WidgetApp } from './widget-app.js';
import { createWidgetI18n, isWidgetLocale } from './widget-i18n.js';
import { WidgetShell } from './widget-shell.js';

/** The channel's configuration with what the embedding page asked for on its script tag. */
export function withOverrides(config: WidgetConfig, options: EmbedOptions): WidgetConfig {
  return {
    ...config,
    locale: options.locale ?? (isWidgetLocale(config.locale) ? config.locale : 'es-MX'),
    position: options.position ?? (config.position === 'bottom-left' ? 'bottom-left' : 'bottom-right'),
    title: options.title ?? config.title,
    colors: options.primaryColor ? { primary: options.primaryColor, onPrimary: config.colors.onPrimary } : config.colors,
  };
}

/**
 * Draws the widget for one channel: fetches its configuration and mounts the shell on a host
 * element at the end of <body>. A channel that is unknown, disabled or not allowed on this site
 * draws nothing (a console warning says why) rather than a launcher that cannot work.
 */
export async function bootWidget(options: EmbedOptions): Promise<void> {
  // Two copies of the tag (a CMS template and a tag manager) must not draw two launchers.
  if (document.querySelector(`[data-ventanilla-widget="${options.channelId}"]`)) return;
  const host = document.createElement('div');
  host.setAttribute('data-ventanilla-widget', options.channelId);
  document.body.append(host);

  const api = new WidgetApi(options.baseUrl, options.channelId);
  let config: WidgetConfig;
  try {
    config = withOverrides(await api.config(), options);
  } catch (error) {
    host.remove();
    console.warn('[ventanilla] the chat widget is not available here:', error instanceof Error ? error.message : error);
    return;
  }
  const i18n = createWidgetI18n(config.locale);
  let app: WidgetApp | null = null;
  const shell = new WidgetShell(host, {
    t: i18n.t,
    locale: config.locale,
    title: config.title,
    position: config.position,
    palette: accessiblePalette(config.colors.primary, config.colors.onPrimary),
    onOpenChange: (open) => app?.openChanged(open),
  });
  app = new WidgetApp({ api, config, i18n }, shell);
  await app.start();
}
