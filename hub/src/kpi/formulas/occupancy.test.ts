import { describe, expect, it } from 'vitest';
import { CONTRACT_OCCUPANCY_TIERS, chatOccupancy, consolidateOccupancy, occupancyTariffPercent, phoneOccupancy } from './occupancy.js';

const MIN = 60_000;

describe('phoneOccupancy (L175, L7712)', () => {
  it('is (Talk + Hold + ACW) / (Talk + Hold + ACW + Avail) × 100', () => {
    // talk 300 min, hold 20, ACW 40, avail 120 → 360 / 480 = 75 %
    const result = phoneOccupancy({ talkMs: 300 * MIN, holdMs: 20 * MIN, afterContactWorkMs: 40 * MIN, availableMs: 120 * MIN });
    expect(result.value).toBe(75);
    expect(result).toMatchObject({ numerator: 360 * MIN, denominator: 480 * MIN });
  });

  it('is sin tráfico for an agent-day with no recorded time', () => {
    expect(phoneOccupancy({ talkMs: 0, holdMs: 0, afterContactWorkMs: 0, availableMs: 0 }).value).toBeNull();
  });
});

describe('chatOccupancy with n authorised sessions (L7702–L7706)', () => {
  const day = { talkMs: 300 * MIN, holdMs: 20 * MIN, afterContactWorkMs: 40 * MIN, availableMs: 120 * MIN };

  it('multiplies Avail by n', () => {
    // n = 3: 360 / (360 + 120 × 3) = 360 / 720 = 50 %
    const result = chatOccupancy(day, 3);
    expect(result.value).toBe(50);
    expect(result.explanation).toContain('× 3');
  });

  it('equals the phone formula when n = 1', () => {
    expect(chatOccupancy(day, 1).value).toBe(phoneOccupancy(day).value);
  });

  it('requires n to be a natural number > 0', () => {
    expect(() => chatOccupancy(day, 0)).toThrow(RangeError);
    expect(() => chatOccupancy(day, 2.5)).toThrow(RangeError);
  });
});

describe('consolidateOccupancy', () => {
  const a = phoneOccupancy({ talkMs: 90 * MIN, holdMs: 0, afterContactWorkMs: 0, availableMs: 10 * MIN }); // 90 / 100 = 90 %
  const b = phoneOccupancy({ talkMs: 100 * MIN, holdMs: 0, afterContactWorkMs: 0, availableMs: 300 * MIN }); // 100 / 400 = 25 %
  const empty = phoneOccupancy({ talkMs: 0, holdMs: 0, afterContactWorkMs: 0, availableMs: 0 });

  it('pools the state times by default (L169)', () => {
    // (90 + 100) / (100 + 400) = 190 / 500 = 38 %
    expect(consolidateOccupancy([a, b, empty]).value).toBe(38);
  });

  it('can average the agent-days instead', () => {
    // (90 + 25) / 2 = 57.5 % (the empty day has no value and is skipped)
    expect(consolidateOccupancy([a, b, empty], 'meanOfAgentDays').value).toBe(57.5);
  });
});

describe('occupancyTariffPercent (contract L165)', () => {
  it('pays by tier with inclusive lower bounds', () => {
    expect(occupancyTariffPercent(70)).toBe(100);
    expect(occupancyTariffPercent(69.99)).toBe(90);
    expect(occupancyTariffPercent(60)).toBe(90);
    expect(occupancyTariffPercent(50)).toBe(80);
    expect(occupancyTariffPercent(49.99)).toBe(70);
    expect(occupancyTariffPercent(0)).toBe(70);
    expect(occupancyTariffPercent(null)).toBeNull();
  });

  it('accepts the T&C variant (60–70 % paid at 80 %, L10585)', () => {
    const tc = CONTRACT_OCCUPANCY_TIERS.map((tier) => (tier.fromPercent === 60 ? { ...tier, tariffPercent: 80 } : tier));
    expect(occupancyTariffPercent(65, tc)).toBe(80);
  });
});
