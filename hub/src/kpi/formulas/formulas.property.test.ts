import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyAbandonment, monthlyAbandonment } from './abandonment.js';
import { availability } from './availability.js';
import { bucketOf, type Granularity, splitSpanByBucket } from './intervals.js';
import { chatOccupancy, phoneOccupancy } from './occupancy.js';
import { satisfaction } from './satisfaction.js';
import { serviceLevel } from './service-level.js';
import { tallyContacts } from './tally-contacts.js';

const T0 = Date.UTC(2026, 10, 1, 6, 0);
const contactArb = fc.record({
  waitMs: fc.integer({ min: 0, max: 120_000 }),
  answered: fc.boolean(),
  abandonKnown: fc.boolean(),
});
const contactsArb = fc.array(contactArb, { maxLength: 60 }).map((list) =>
  list.map((c) => ({
    queuedAtMs: T0,
    answeredAtMs: c.answered ? T0 + c.waitMs : null,
    abandonedAtMs: !c.answered && c.abandonKnown ? T0 + c.waitMs : null,
  })),
);
const percentOrNull = (value: number | null): boolean => value === null || (value >= 0 && value <= 100);

describe('queue KPI properties', () => {
  it('0 ≤ SL ≤ 100 for both denominators, and SL by received ≤ SL by attended', () => {
    fc.assert(
      fc.property(contactsArb, fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 10_000 }), (contacts, thresholdMs, shortMs) => {
        const tally = tallyContacts(contacts, { serviceLevelThresholdMs: thresholdMs, shortAbandonThresholdMs: shortMs });
        const base = { attendedWithinThreshold: tally.attendedWithinThreshold, attended: tally.attended, received: tally.received, thresholdMs };
        const byReceived = serviceLevel({ ...base, denominator: 'received' }).value;
        const byAttended = serviceLevel({ ...base, denominator: 'attended' }).value;
        expect(percentOrNull(byReceived) && percentOrNull(byAttended)).toBe(true);
        if (byReceived !== null && byAttended !== null) expect(byReceived).toBeLessThanOrEqual(byAttended + 1e-9);
        expect(tally.received).toBe(tally.attended + tally.abandoned);
      }),
    );
  });

  it('monthly abandonment is the mean of the daily values and lies between the extremes', () => {
    const dayArb = fc.integer({ min: 0, max: 500 }).chain((received) => fc.record({ received: fc.constant(received), attended: fc.integer({ min: 0, max: received }) }));
    fc.assert(
      fc.property(fc.array(dayArb, { maxLength: 31 }), (days) => {
        const dailies = days.map((day, i) => ({ date: `2026-12-${String(i + 1).padStart(2, '0')}`, result: dailyAbandonment(day) }));
        const monthly = monthlyAbandonment(dailies).value;
        // Independent recomputation from the raw counts.
        const percents = days.filter((d) => d.received > 0).map((d) => ((d.received - d.attended) * 100) / d.received);
        if (percents.length === 0) {
          expect(monthly).toBeNull();
          return;
        }
        const mean = percents.reduce((a, b) => a + b, 0) / percents.length;
        expect(monthly).toBeCloseTo(mean, 9);
        expect(monthly).toBeGreaterThanOrEqual(Math.min(...percents) - 1e-9);
        expect(monthly).toBeLessThanOrEqual(Math.max(...percents) + 1e-9);
      }),
    );
  });
});

describe('time and survey KPI properties', () => {
  const msArb = fc.integer({ min: 0, max: 10 * 3_600_000 });
  const totalsArb = fc.record({ talkMs: msArb, holdMs: msArb, afterContactWorkMs: msArb, availableMs: msArb });

  it('occupancy is within 0–100 and chat with n ≥ 1 never exceeds phone', () => {
    fc.assert(
      fc.property(totalsArb, fc.integer({ min: 1, max: 6 }), (totals, n) => {
        const phone = phoneOccupancy(totals).value;
        const chat = chatOccupancy(totals, n).value;
        expect(percentOrNull(phone) && percentOrNull(chat)).toBe(true);
        if (phone !== null && chat !== null) expect(chat).toBeLessThanOrEqual(phone + 1e-9);
      }),
    );
  });

  it('availability is within 0–100 whatever the outages', () => {
    const spanArb = fc.tuple(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 1_000 })).map(([a, b]) => ({ startMs: Math.min(a, b), endMs: Math.max(a, b) }));
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 5 }), fc.array(spanArb, { maxLength: 8 }), (window, outages) => {
        expect(percentOrNull(availability(window, outages).value)).toBe(true);
      }),
    );
  });

  it('satisfaction is within 0–100 and equals yes / answered', () => {
    const surveyArb = fc.dictionary(fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12'), fc.option(fc.boolean()));
    fc.assert(
      fc.property(fc.array(surveyArb, { maxLength: 20 }), (surveys) => {
        const answers = surveys.flatMap((s) => Object.values(s)).filter((a): a is boolean => a !== null);
        const result = satisfaction(surveys).overall;
        expect(result.denominator).toBe(answers.length);
        expect(result.numerator).toBe(answers.filter(Boolean).length);
        expect(percentOrNull(result.value)).toBe(true);
      }),
    );
  });
});

describe('interval properties (America/Mexico_City)', () => {
  // 2015–2030 covers years with and without DST in Mexico City.
  const instantArb = fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2030, 0, 1) });
  const granularityArb = fc.constantFrom<Granularity>('half_hour', 'day', 'week', 'month');

  it('the bucket contains the instant, and the next bucket starts where it ends', () => {
    fc.assert(
      fc.property(instantArb, granularityArb, (instant, granularity) => {
        const bucket = bucketOf(instant, granularity);
        expect(bucket.startMs).toBeLessThanOrEqual(instant);
        expect(instant).toBeLessThan(bucket.endMs);
        const next = bucketOf(bucket.endMs, granularity);
        expect(next.startMs).toBe(bucket.endMs);
        expect(next.key).not.toBe(bucket.key);
      }),
    );
  });

  it('splitting a span keeps its total duration', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 40 * 86_400_000 }), granularityArb, (start, length, granularity) => {
        const pieces = splitSpanByBucket({ startMs: start, endMs: start + length }, granularity);
        expect(pieces.reduce((sum, piece) => sum + piece.durationMs, 0)).toBe(length);
      }),
      { numRuns: 60 },
    );
  });
});
