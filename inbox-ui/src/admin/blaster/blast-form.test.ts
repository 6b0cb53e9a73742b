import { describe, expect, it } from 'vitest';
import { createBlastBody, RECIPIENT_STATUSES, BLAST_STATUSES } from '../../../../hub/src/voice/blaster/blast.schema.js';
import { blastFormProblems, emptyBlastForm, toCreateInput } from './blast-form.js';
import { blasterEn } from './i18n/blaster-messages.en.js';
import { blasterEsMX, type BlasterMessageKey } from './i18n/blaster-messages.es-mx.js';

const CHANNEL = '6f1c1d7e-3a0b-4a51-9b1e-2d3c4b5a6f70';
const CAMPAIGN = '0b7f5c43-8e1a-4c2d-9f3e-1a2b3c4d5e6f';

describe('voice blaster form', () => {
  it('an empty form names what is missing; a filled one is what the hub accepts', () => {
    expect(blastFormProblems(emptyBlastForm(''))).toEqual(['name', 'channelId', 'messageText', 'list']);
    const filled = { ...emptyBlastForm(CHANNEL), name: 'Citas', messageText: 'Hola {nombre}', list: '5511110001,Ana\n', startAt: '2026-12-01T09:30', retryMinutes: '15' };
    expect(blastFormProblems(filled)).toEqual([]);
    const body = toCreateInput(filled, CAMPAIGN);
    expect(createBlastBody.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ window: { start: '09:00', end: '20:00' }, retryDelaySeconds: 900, options: { '1': 'agent', '2': 'confirm', '3': 'decline', '9': 'repeat' } });
    expect(toCreateInput({ ...filled, anyTime: true }, CAMPAIGN).window).toBeNull();
  });

  it('the same action on two keys, a window that ends before it starts, a pace out of range are flagged', () => {
    const base = { ...emptyBlastForm(CHANNEL), name: 'x', messageText: 'y', list: '5511110001' };
    expect(blastFormProblems({ ...base, options: { '1': 'confirm', '2': 'confirm' } })).toEqual(['options']);
    expect(blastFormProblems({ ...base, windowStart: '20:00', windowEnd: '09:00' })).toEqual(['window']);
    expect(blastFormProblems({ ...base, callsPerMinute: '0', maxAttempts: '9' })).toEqual(['callsPerMinute', 'maxAttempts']);
  });

  it('catalogues: same keys and placeholders in es-MX and en, every status named', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(blasterEn).sort()).toEqual(Object.keys(blasterEsMX).sort());
    for (const key of Object.keys(blasterEsMX) as BlasterMessageKey[]) expect(placeholders(blasterEn[key]), key).toEqual(placeholders(blasterEsMX[key]));
    for (const s of BLAST_STATUSES) expect(Object.keys(blasterEsMX)).toContain(`vb.status.${s}`);
    for (const s of RECIPIENT_STATUSES) expect(Object.keys(blasterEsMX)).toContain(`vb.r.${s}`);
  });
});
