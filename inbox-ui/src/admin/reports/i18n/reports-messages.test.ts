import { describe, expect, it } from 'vitest';
import { reportsTranslator } from './reports-i18n.js';
import { reportsEn } from './reports-messages.en.js';
import { reportsEsMX, type ReportsMessageKey } from './reports-messages.es-mx.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('reports section catalogues', () => {
  it('have the same keys and placeholders in es-MX and en, none empty', () => {
    expect(Object.keys(reportsEn).sort()).toEqual(Object.keys(reportsEsMX).sort());
    for (const key of Object.keys(reportsEsMX) as ReportsMessageKey[]) {
      expect(reportsEsMX[key].trim(), key).not.toBe('');
      expect(reportsEn[key].trim(), key).not.toBe('');
      expect(placeholders(reportsEn[key]), key).toEqual(placeholders(reportsEsMX[key]));
    }
  });

  it('name every interval and token status the hub sends', () => {
    for (const interval of ['half_hour', 'day', 'week', 'month']) expect(Object.keys(reportsEsMX)).toContain(`rp.interval.${interval}`);
    for (const status of ['active', 'expired', 'revoked']) expect(Object.keys(reportsEsMX)).toContain(`rp.status.${status}`);
    expect(reportsTranslator('es-MX')('rp.tooLong', { max: 92 })).toBe('El periodo es demasiado largo para este reporte (máximo 92 días).');
  });
});
