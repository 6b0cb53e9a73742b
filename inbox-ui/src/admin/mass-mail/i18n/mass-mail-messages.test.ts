import { describe, expect, it } from 'vitest';
import { MASS_MAILING_STATUSES } from '../../../../../hub/src/mass-mail/mass-mail.schema.js';
import { massMailTranslator } from './mass-mail-i18n.js';
import { massMailEn } from './mass-mail-messages.en.js';
import { massMailEsMX, type MassMailMessageKey } from './mass-mail-messages.es-mx.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('mass-mail section catalogues', () => {
  it('have the same keys and placeholders in es-MX and en, none empty', () => {
    expect(Object.keys(massMailEn).sort()).toEqual(Object.keys(massMailEsMX).sort());
    for (const key of Object.keys(massMailEsMX) as MassMailMessageKey[]) {
      expect(massMailEsMX[key].trim(), key).not.toBe('');
      expect(placeholders(massMailEn[key]), key).toEqual(placeholders(massMailEsMX[key]));
    }
  });

  it('name every mailing status the hub reports', () => {
    for (const status of MASS_MAILING_STATUSES) expect(Object.keys(massMailEsMX)).toContain(`mm.status.${status}`);
  });

  it('keep template variables such as {{folio}} visible to the reader', () => {
    expect(massMailTranslator('es-MX')('mm.qrHint')).toContain('{{folio}}');
    expect(massMailTranslator('en')('mm.uploaded', { accepted: 3, invalid: 1, duplicate: 0, suppressed: 2 })).toBe('List uploaded: 3 accepted, 1 invalid, 0 duplicates, 2 unsubscribed.');
  });
});
