import { describe, expect, it } from 'vitest';
import { USAGE_METERS } from '../../../hub/src/billing/billing.contract.js';
import { localInstant } from '../../../hub/src/billing/http/line-facts-csv.js';
import { rivalSelectors } from '../../../hub/src/billing/http/line-facts.query.js';
import { defaultRateCard } from '../../../hub/src/billing/rate-card/default-rate-card.js';
import { matchConcept, selectorMatches, type UsageDimensions } from '../../../hub/src/billing/statement/compute-matching.js';
import { localDateTime } from '../../../hub/src/reports/report-flatten.js';

/**
 * The line → facts rule the SQL applies (own selector, and none of its rivals) gives each fact to
 * the same concept the statement's `matchConcept` does, over every combination of dimensions.
 */
describe('line facts rules', () => {
  it('own selector and no rival ⇔ matchConcept picks the concept (default card, 5,940 combinations)', () => {
    const concepts = defaultRateCard('2028-10').concepts;
    const dims: UsageDimensions[] = [];
    for (const meter of USAGE_METERS)
      for (const seatType of [null, 'PS-I', 'PS-P'] as const)
        for (const tier of [null, 1, 2] as const)
          for (const channelClass of [null, 'voice', 'text', 'email'] as const)
            for (const channelKind of [null, 'lineas_imss', 'posiciones_imss', 'whatsapp', 'webchat'])
              for (const direction of [null, 'inbound', 'outbound'] as const) dims.push({ meter, seatType, tier, channelClass, channelKind, direction });
    // 11 meters × 3 × 3 × 4 × 5 × 3 = 5,940.
    expect(dims).toHaveLength(5940);
    const picked = dims.map((d) => matchConcept(concepts, d));
    let assigned = 0;
    const disagreements: string[] = [];
    concepts.forEach((concept, index) => {
      if (!concept.usage) return;
      const own = concept.usage;
      const rivals = rivalSelectors(concepts, index);
      dims.forEach((d, k) => {
        const bySql = selectorMatches(own, d) && rivals.every((r) => !selectorMatches(r, d));
        if (bySql !== (picked[k] === index)) disagreements.push(`${concept.code} ${JSON.stringify(d)}`);
        if (bySql) assigned += 1;
      });
    });
    expect(disagreements).toEqual([]);
    // Each combination goes to at most one concept: the priced ones are exactly those matchConcept prices.
    expect(assigned).toBe(picked.filter((p) => p !== null).length);
    // PS-I voice outbound on IMSS lines: two rivals of equal specificity (3); the earlier on the card wins.
    const tie: UsageDimensions = { meter: 'agent_time', seatType: 'PS-I', tier: null, channelClass: 'voice', channelKind: 'lineas_imss', direction: 'outbound' };
    expect(concepts[matchConcept(concepts, tie) ?? -1]?.code).toBe('ps_i_inbound_imss_lines');
  });

  it('writes instants as the campaign’s wall clock, exactly as the reports do', () => {
    for (const iso of ['2026-10-05T15:00:00.500Z', '2021-04-04T08:30:00.000Z', '2026-03-08T10:00:00.000Z']) {
      for (const zone of ['America/Mexico_City', 'America/Tijuana']) {
        const wall = localDateTime(iso, zone);
        expect(localInstant(iso, zone)).toBe(`${wall.text.replace(' ', 'T')}${wall.offset}`);
      }
    }
    // 15:00:00.5 UTC is 09:00:00 in Mexico City (−06:00 since 2022).
    expect(localInstant('2026-10-05T15:00:00.500Z', 'America/Mexico_City')).toBe('2026-10-05T09:00:00-06:00');
  });
});
