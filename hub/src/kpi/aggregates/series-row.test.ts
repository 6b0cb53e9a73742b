import { describe, expect, it } from 'vitest';
import { tallyContacts } from '../formulas/tally-contacts.js';
import type { AgentTime } from './agent-time.js';
import { mapSums, ZERO_SUMS } from './contact-aggregates.js';
import { occupancyOf, pooledOccupancy, tallyOf } from './series-row.js';

const settings = { serviceLevelThresholdMs: 20_000, shortAbandonThresholdMs: 10_000, ahtDefinition: 'talk' as const, responseLimitMs: 46_800_000, chatSessions: 4 };
const time = (t: Partial<AgentTime>): AgentTime => ({ talkVoiceMs: 0, talkTextMs: 0, talkEmailMs: 0, holdMs: 0, stateTimesMs: {}, ...t });

describe('series rows from SQL sums', () => {
  it('tallyOf gives what tallyContacts gives for the same contacts', () => {
    // Waits 15 s, 20 s (within), 25 s; abandons after 5 s (short) and 30 s.
    const contacts = [
      { queuedAtMs: 0, answeredAtMs: 15_000 },
      { queuedAtMs: 0, answeredAtMs: 20_000 },
      { queuedAtMs: 0, answeredAtMs: 25_000 },
      { queuedAtMs: 0, answeredAtMs: null, abandonedAtMs: 5_000 },
      { queuedAtMs: 0, answeredAtMs: null, abandonedAtMs: 30_000 },
    ];
    const sums = { ...ZERO_SUMS, receivedGross: 5, shortAbandoned: 1, attended: 3, attendedWithinThreshold: 2, totalAnswerWaitMs: 60_000 };
    expect(tallyOf(sums, settings)).toEqual(tallyContacts(contacts, settings));
  });

  it('phone occupancy subtracts talk and hold from the available time; chat subtracts talk / n', () => {
    // (600 + 120 + 300) / (1,020 + (3,600 − 720)) s.
    const phone = occupancyOf(time({ talkVoiceMs: 600_000, holdMs: 120_000, stateTimesMs: { available: 3_600_000, after_contact_work: 300_000 } }), 4);
    expect(phone.phone).toMatchObject({ numerator: 1_020_000, denominator: 3_900_000 });
    expect(phone.chat).toBeNull();
    // 5,400 / (5,400 + (7,200 − 5,400 / 4) × 4) = 18.75 %.
    const chat = occupancyOf(time({ talkTextMs: 5_400_000, stateTimesMs: { available: 7_200_000 } }), 4);
    expect(chat.chat?.value).toBe(18.75);
    expect(chat.phone).toBeNull();
    const idle = occupancyOf(time({ stateTimesMs: { available: 1_000 } }), 4);
    expect([idle.phone?.value, idle.chat?.value]).toEqual([0, 0]);
    // More talk than available time never makes Avail negative.
    expect(occupancyOf(time({ talkVoiceMs: 5_000, stateTimesMs: { available: 1_000 } }), 4).phone?.value).toBe(100);
  });

  it('pools the inputs of the agents that have each figure', () => {
    const pooled = pooledOccupancy(
      [time({ talkVoiceMs: 600_000, stateTimesMs: { available: 1_200_000 } }), time({ talkTextMs: 400_000, stateTimesMs: { available: 1_000_000 } })],
      4,
    );
    // Phone: 600 / (600 + 600); chat: 400 / (400 + (1,000 − 100) × 4).
    expect(pooled.phone?.value).toBe(50);
    expect(pooled.chat).toMatchObject({ numerator: 400_000, denominator: 4_000_000 });
    expect(pooledOccupancy([], 4)).toEqual({ phone: null, chat: null });
    expect(mapSums(() => 1).fcrFirst).toBe(1);
  });
});
