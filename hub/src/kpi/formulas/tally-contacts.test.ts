import { describe, expect, it } from 'vitest';
import { dailyAbandonment } from './abandonment.js';
import { averageSpeedOfAnswer } from './asa.js';
import { serviceLevel } from './service-level.js';
import { tallyContacts } from './tally-contacts.js';

const T = Date.UTC(2026, 10, 26, 15, 0, 0);
const contacts = [
  { queuedAtMs: T, answeredAtMs: T + 5_000 }, // within 20 s
  { queuedAtMs: T, answeredAtMs: T + 20_000 }, // exactly 20 s: within (late is "después de" 20 s)
  { queuedAtMs: T, answeredAtMs: T + 20_001 }, // late
  { queuedAtMs: T, answeredAtMs: null, abandonedAtMs: T + 3_000 }, // short abandon (< 5 s)
  { queuedAtMs: T, answeredAtMs: null, abandonedAtMs: T + 45_000 }, // real abandon
  { queuedAtMs: T, answeredAtMs: null }, // abandon time unknown: counts as abandon
];

describe('tallyContacts', () => {
  it('applies the service-level and short-abandon thresholds', () => {
    const tally = tallyContacts(contacts, { serviceLevelThresholdMs: 20_000, shortAbandonThresholdMs: 5_000 });
    expect(tally).toMatchObject({
      receivedGross: 6,
      shortAbandoned: 1,
      received: 5,
      attended: 3,
      abandoned: 2,
      attendedWithinThreshold: 2,
      totalAnswerWaitMs: 45_001, // 5,000 + 20,000 + 20,001
    });
  });

  it('feeds the formulas with consistent counts', () => {
    const tally = tallyContacts(contacts, { shortAbandonThresholdMs: 5_000 });
    // abandonment (5 − 3) / 5 = 40 %; SL by received 2 / 5 = 40 %; by attended 2 / 3 = 66.67 %; ASA 45,001 / 3
    const abandonment = dailyAbandonment({
      received: tally.receivedGross,
      attended: tally.attended,
      shortAbandoned: tally.shortAbandoned,
      shortAbandonThresholdMs: tally.shortAbandonThresholdMs,
    });
    expect(abandonment.value).toBe(40);
    expect(serviceLevel({ ...tally, thresholdMs: tally.serviceLevelThresholdMs, denominator: 'received' }).value).toBe(40);
    expect(serviceLevel({ ...tally, thresholdMs: 20_000, denominator: 'attended' }).value).toBeCloseTo(66.667, 3);
    expect(averageSpeedOfAnswer({ answered: tally.attended, totalAnswerWaitMs: tally.totalAnswerWaitMs }).value).toBeCloseTo(15_000.333, 3);
  });

  it('excludes nothing with the default threshold of 0', () => {
    expect(tallyContacts(contacts).shortAbandoned).toBe(0);
    expect(tallyContacts([]).received).toBe(0);
  });
});
