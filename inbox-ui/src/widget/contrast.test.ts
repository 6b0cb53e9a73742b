import { describe, expect, it } from 'vitest';
import { accessiblePalette, contrastRatio, DARK_TEXT, DEFAULT_PRIMARY, parseHexColor } from './contrast.js';

describe('widget colour contrast', () => {
  it('reads #rgb and #rrggbb, and nothing else', () => {
    expect(parseHexColor('#0f5c8c')).toEqual([15, 92, 140]);
    expect(parseHexColor('#fff')).toEqual([255, 255, 255]);
    expect(parseHexColor('red')).toBeNull();
    expect(parseHexColor('#12345')).toBeNull();
  });

  it('computes the WCAG ratio: black on white is 21:1, a colour on itself 1:1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBeCloseTo(1, 5);
    // The WCAG reference: #767676 on white is the lightest grey that passes AA (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('keeps a legible brand palette as configured', () => {
    expect(accessiblePalette('#0f5c8c', '#ffffff')).toEqual({ primary: '#0f5c8c', onPrimary: '#ffffff', accent: '#0f5c8c' });
  });

  it('replaces low-contrast text on a light brand colour with dark text, and uses dark for accents on white', () => {
    const palette = accessiblePalette('#f2c94c', '#ffffff');
    expect(palette.onPrimary).toBe(DARK_TEXT);
    expect(palette.accent).toBe(DARK_TEXT);
    expect(contrastRatio(palette.onPrimary, palette.primary)).toBeGreaterThanOrEqual(4.5);
  });

  it('always reaches 4.5:1 for text on the brand colour, whatever the host configured', () => {
    for (const primary of ['#777777', '#808080', '#ff0000', '#00ff00', '#0000ff', '#9b2247', '#235b4e', '#bc955c']) {
      const palette = accessiblePalette(primary, '#ffffff');
      expect(contrastRatio(palette.onPrimary, palette.primary), primary).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(palette.accent, '#ffffff'), primary).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('falls back to the default colour when the configured one is not a colour', () => {
    expect(accessiblePalette('javascript:alert(1)', '#fff').primary).toBe(DEFAULT_PRIMARY);
  });
});
