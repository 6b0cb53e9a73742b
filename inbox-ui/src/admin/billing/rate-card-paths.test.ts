import { describe, expect, it } from 'vitest';
import { describeCardPath, parseDraft } from './rate-card-paths.js';

const label = (n: number, code: string) => `Concepto ${n} «${code}»`;

describe('rate-card problem paths', () => {
  const draft = { concepts: [{ code: 'ps_i_inbound' }, { code: 'ivr' }] };

  it('names a concept by its position (1-based) and code, keeping the field', () => {
    expect(describeCardPath('concepts.1.unitPriceCents', draft, label)).toBe('Concepto 2 «ivr» · unitPriceCents');
    expect(describeCardPath('concepts.0.usage.meter', draft, label)).toBe('Concepto 1 «ps_i_inbound» · usage.meter');
    expect(describeCardPath('concepts.0', draft, label)).toBe('Concepto 1 «ps_i_inbound»');
  });

  it('leaves other paths and unknown concepts readable', () => {
    expect(describeCardPath('ivaPct', draft, label)).toBe('ivaPct');
    expect(describeCardPath('concepts.5.code', draft, label)).toBe('Concepto 6 «?» · code');
    expect(describeCardPath('concepts.0.code', null, label)).toBe('Concepto 1 «?» · code');
  });

  it('reads the draft text only when it is JSON', () => {
    expect(parseDraft('{"ivaPct": 16}')).toEqual({ ivaPct: 16 });
    expect(parseDraft('{"ivaPct": ')).toBeNull();
  });
});
