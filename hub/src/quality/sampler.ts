import { createHash } from 'node:crypto';

/**
 * The seeded draw behind the monthly quality sample (issue 9 item 8). Deterministic and easy to
 * redo elsewhere, so an auditor holding the stored seed and the population list can check it:
 *
 * - random stream: SHA-256(`${seed}:${counter}`) for counter = 0, 1, 2…, each digest read as
 *   eight big-endian unsigned 32-bit words;
 * - a uniform integer in [0, n): the next word x, rejected while x ≥ ⌊2³² / n⌋ · n (no modulo bias),
 *   then x mod n;
 * - the sample: a partial Fisher–Yates shuffle of the population (ordered by answered_at, then
 *   conversation id): for i = 0…k−1, swap i with i + uniform(size − i); the first k are the draw,
 *   in draw order.
 */
export class SeededStream {
  private counter = 0;
  private words: number[] = [];

  constructor(private readonly seed: string) {}

  nextUint32(): number {
    if (this.words.length === 0) {
      const digest = createHash('sha256').update(`${this.seed}:${this.counter}`).digest();
      this.counter += 1;
      for (let offset = 0; offset < digest.length; offset += 4) this.words.push(digest.readUInt32BE(offset));
    }
    const word = this.words.shift();
    if (word === undefined) throw new Error('sha256 produced no words');
    return word;
  }

  /** Uniform in [0, n), by rejection (n ≤ 2³²). */
  uniform(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`n must be an integer in [1, 2^32], got ${n}`);
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

/** k distinct indices of [0, size), uniformly at random without replacement; all of them (shuffled) when size ≤ k. */
export function drawIndices(size: number, k: number, seed: string): number[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError('size must be an integer ≥ 0');
  if (!Number.isInteger(k) || k < 1) throw new RangeError('k must be an integer ≥ 1');
  if (seed.length === 0) throw new RangeError('seed must not be empty');
  const take = Math.min(size, k);
  // A typed array reads as number (0 for an index never written), not number | undefined.
  const order = Uint32Array.from({ length: size }, (_, i) => i);
  const stream = new SeededStream(seed);
  for (let i = 0; i < take; i += 1) {
    const j = i + stream.uniform(size - i);
    [order[i], order[j]] = [order.at(j) ?? j, order.at(i) ?? i];
  }
  return Array.from(order.subarray(0, take));
}

/** The drawn members of an ordered population, in draw order. */
export function drawSample<T>(population: readonly T[], k: number, seed: string): T[] {
  return drawIndices(population.length, k, seed).flatMap((i) => {
    const member = population[i];
    return member === undefined ? [] : [member];
  });
}
