import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawIndices, drawSample, SeededStream } from './sampler.js';

describe('SeededStream', () => {
  it('reads SHA-256(seed:counter) as big-endian 32-bit words, as documented for auditors', () => {
    const digest = createHash('sha256').update('auditoria-2026:0').digest();
    const stream = new SeededStream('auditoria-2026');
    const words = Array.from({ length: 8 }, () => stream.nextUint32());
    expect(words).toEqual(Array.from({ length: 8 }, (_, i) => digest.readUInt32BE(i * 4)));
    const next = createHash('sha256').update('auditoria-2026:1').digest();
    expect(stream.nextUint32()).toBe(next.readUInt32BE(0));
  });

  it('rejects words above the largest multiple of n (no modulo bias)', () => {
    const stream = new SeededStream('x');
    for (let i = 0; i < 1000; i += 1) {
      const v = stream.uniform(3);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(3);
    }
    expect(() => stream.uniform(0)).toThrow(RangeError);
  });
});

describe('drawIndices', () => {
  it('draws k distinct indices, the same ones for the same seed and others for another seed', () => {
    const a = drawIndices(5000, 100, 'semilla-1');
    expect(a).toHaveLength(100);
    expect(new Set(a).size).toBe(100);
    expect(a.every((i) => i >= 0 && i < 5000)).toBe(true);
    expect(drawIndices(5000, 100, 'semilla-1')).toEqual(a);
    expect(drawIndices(5000, 100, 'semilla-2')).not.toEqual(a);
  });

  it('takes the whole population (shuffled) when it is smaller than N', () => {
    const all = drawIndices(37, 100, 's');
    expect(all).toHaveLength(37);
    expect([...all].sort((x, y) => x - y)).toEqual(Array.from({ length: 37 }, (_, i) => i));
    expect(drawIndices(0, 100, 's')).toEqual([]);
  });

  it('covers the population uniformly: every member is chosen k/n of the time (chi-square, 4,000 seeds)', () => {
    const n = 20;
    const k = 5;
    const runs = 4000;
    const counts = new Array<number>(n).fill(0);
    const firstPick = new Array<number>(n).fill(0);
    for (let r = 0; r < runs; r += 1) {
      const drawn = drawIndices(n, k, `cobertura-${r}`);
      for (const i of drawn) counts[i] = (counts[i] ?? 0) + 1;
      const first = drawn[0] ?? 0;
      firstPick[first] = (firstPick[first] ?? 0) + 1;
    }
    const chi = (observed: number[], expected: number) => observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: the 99.9th percentile is 43.8. A biased draw (e.g. always the first k) is in the thousands.
    expect(chi(counts, (runs * k) / n)).toBeLessThan(43.8);
    expect(chi(firstPick, runs / n)).toBeLessThan(43.8);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(runs * k);
  });

  it('refuses nonsense input', () => {
    expect(() => drawIndices(-1, 5, 's')).toThrow(RangeError);
    expect(() => drawIndices(10, 0, 's')).toThrow(RangeError);
    expect(() => drawIndices(10, 5, '')).toThrow(RangeError);
  });
});

describe('drawSample', () => {
  it('maps the drawn indices onto the ordered population', () => {
    const population = Array.from({ length: 50 }, (_, i) => `conv-${i}`);
    const sample = drawSample(population, 10, 'abc');
    expect(sample).toEqual(drawIndices(50, 10, 'abc').map((i) => `conv-${i}`));
  });
});
