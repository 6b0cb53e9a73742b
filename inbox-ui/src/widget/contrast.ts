/**
 * WCAG 2.1 contrast (SC 1.4.3, 1.4.11) for the colours a ministry configures: their brand colour
 * stays where it is legible, and a dark or white text colour replaces whatever is not.
 */
export const AA_TEXT = 4.5;
export const DEFAULT_PRIMARY = '#0f5c8c';
export const DARK_TEXT = '#1a1a1a';
const WHITE = '#ffffff';
const BLACK = '#000000';

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

export function isHexColor(value: string): boolean {
  return HEX.test(value.trim());
}

/** `#rgb` or `#rrggbb` to [r, g, b] (0–255); anything else is null. */
export function parseHexColor(value: string): [number, number, number] | null {
  const match = HEX.exec(value.trim());
  if (!match?.[1]) return null;
  const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join('') : match[1];
  const byte = (at: number) => Number.parseInt(hex.slice(at, at + 2), 16);
  return [byte(0), byte(2), byte(4)];
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(rgb: [number, number, number]): number {
  return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
}

/** Contrast ratio (1–21) of two hex colours; 1 when either is not a colour we can read. */
export function contrastRatio(a: string, b: string): number {
  const ra = parseHexColor(a);
  const rb = parseHexColor(b);
  if (!ra || !rb) return 1;
  const la = relativeLuminance(ra);
  const lb = relativeLuminance(rb);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

export interface WidgetPalette {
  /** Backgrounds of the launcher, the header and the visitor's own bubbles. */
  primary: string;
  /** Text on `primary` (≥ 4.5:1). */
  onPrimary: string;
  /** The brand colour as text, borders and focus rings on white — dark when the brand colour is too light. */
  accent: string;
}

export function accessiblePalette(primary: string, onPrimary: string): WidgetPalette {
  const base = parseHexColor(primary) ? primary.trim() : DEFAULT_PRIMARY;
  const text = [onPrimary.trim(), WHITE, DARK_TEXT, BLACK].find((candidate) => contrastRatio(candidate, base) >= AA_TEXT) ?? BLACK;
  const accent = contrastRatio(base, WHITE) >= AA_TEXT ? base : DARK_TEXT;
  return { primary: base, onPrimary: text, accent };
}
