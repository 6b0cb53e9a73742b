import { describe, expect, it } from 'vitest';
import { itemKey, monthOf, previewScore, shiftMonth, weightTotal } from './quality-state.js';

const items = [
  { id: 'saludo', label: 'Saludo', weight: 40, critical: false },
  { id: 'exactitud', label: 'Exactitud', weight: 60, critical: true },
];

describe('quality screen helpers', () => {
  it('gives the month in the campaign time zone (1 Nov 00:30 UTC is still October in Mexico City)', () => {
    expect(monthOf(new Date('2026-11-01T00:30:00Z'), 'America/Mexico_City')).toBe('2026-10');
    expect(monthOf(new Date('2026-11-01T06:00:00Z'), 'America/Mexico_City')).toBe('2026-11');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
  });

  it('previews the hub’s score: null until complete, 0 on a critical miss', () => {
    expect(previewScore(items, { saludo: { met: true } })).toBeNull();
    expect(previewScore(items, { saludo: { met: false }, exactitud: { met: true } })).toBe(60);
    expect(previewScore(items, { saludo: { met: true }, exactitud: { met: false } })).toBe(0);
  });

  it('checks weights in hundredths and derives unique keys', () => {
    expect(weightTotal([{ weight: 33.33 }, { weight: 33.33 }, { weight: 33.34 }])).toEqual({ total: 100, ok: true });
    expect(weightTotal([{ weight: 50 }, { weight: Number.NaN }]).ok).toBe(false);
    expect(itemKey('Cortesía y etiqueta', [])).toBe('cortesia_y_etiqueta');
    expect(itemKey('Cortesía y etiqueta', ['cortesia_y_etiqueta'])).toBe('cortesia_y_etiqueta_2');
  });
});
