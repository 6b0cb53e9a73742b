import { describe, expect, it } from 'vitest';
import { BILLING_UNITS, USAGE_METERS } from '../../../../../hub/src/billing/billing.contract.js';
import { billingTranslator } from './billing-i18n.js';
import { billingEn } from './billing-messages.en.js';
import { billingEsMX, type BillingMessageKey } from './billing-messages.es-mx.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('billing catalogues', () => {
  it('have the same keys and placeholders in es-MX and en, none empty', () => {
    expect(Object.keys(billingEn).sort()).toEqual(Object.keys(billingEsMX).sort());
    for (const key of Object.keys(billingEsMX) as BillingMessageKey[]) {
      expect(billingEsMX[key].trim(), key).not.toBe('');
      expect(placeholders(billingEn[key]), key).toEqual(placeholders(billingEsMX[key]));
    }
  });

  it('name every unit and meter of the contract', () => {
    for (const key of [...BILLING_UNITS.map((u) => `bl.unit.${u}`), ...USAGE_METERS.map((m) => `bl.meter.${m}`)]) expect(Object.keys(billingEsMX), key).toContain(key);
  });

  it('word the remainder not billed in Spanish first', () => {
    expect(billingTranslator('es-MX')('bl.time.minute', { exact: '8:25', remainder: '0:25' })).toBe('8:25 exactos; remanente 0:25 no facturado');
    expect(billingTranslator('en')('bl.time.minute', { exact: '8:25', remainder: '0:25' })).toBe('8:25 exact; remainder 0:25 not billed');
  });
});
