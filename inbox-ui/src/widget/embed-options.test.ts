import { describe, expect, it } from 'vitest';
import { readEmbedOptions } from './embed-options.js';

const channel = '7d6f2b7e-1c1a-4b55-9f57-0c4b8f0f2a11';

describe('the embed tag', () => {
  it('takes the hub from the script’s own URL and the channel from data-channel', () => {
    expect(readEmbedOptions('https://hub.gob.mx/widget.js?v=3', { channel })).toEqual({
      channelId: channel,
      baseUrl: 'https://hub.gob.mx',
      locale: null,
      position: null,
      title: null,
      primaryColor: null,
    });
    // A hub behind a path prefix keeps the prefix.
    expect(readEmbedOptions('https://www.gob.mx/ventanilla/widget.js', { channel })?.baseUrl).toBe('https://www.gob.mx/ventanilla');
  });

  it('reads the optional overrides, ignoring values it cannot use', () => {
    const options = readEmbedOptions('https://hub.gob.mx/widget.js', { channel, locale: 'en-US', position: 'bottom-left', title: '  Atención IMSS ', primaryColor: '#9b2247' });
    expect(options).toMatchObject({ locale: 'en', position: 'bottom-left', title: 'Atención IMSS', primaryColor: '#9b2247' });
    const bad = readEmbedOptions('https://hub.gob.mx/widget.js', { channel, position: 'top', primaryColor: 'red;background:url(x)' });
    expect(bad).toMatchObject({ position: null, primaryColor: null });
  });

  it('draws nothing without a channel id', () => {
    expect(readEmbedOptions('https://hub.gob.mx/widget.js', {})).toBeNull();
    expect(readEmbedOptions('https://hub.gob.mx/widget.js', { channel: 'DEMO' })).toBeNull();
  });
});
