import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStatement } from '../../../hub/src/billing/statement/build-statement.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { seedOctober } from '../usage/october-scenario.js';
import { activateCard, testCard } from './statement-card.js';

/**
 * Issue 10 item 5 end to end: a card that bills attention time per tier prices the time after a
 * tier-1 → tier-2 transfer at the tier-2 price. The October of test/billing/usage (its facts are
 * hand-computed in derive-interactions.test.ts) is derived from its sources and priced.
 */
describe('rate switch on a tier-2 transfer', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  }, 60_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('bills voice attention before the transfer at the tier-1 price and after it at the tier-2 price', async () => {
    const db = hub.ctx.db.kysely;
    const campaignId = (await createCampaign(db)).id;
    await seedOctober(db, campaignId);
    const card = testCard({
      concepts: [
        { code: 'voz_n1', name: 'Atención telefónica, primer nivel', nameEn: 'Voice attention, tier 1', unit: 'minute', unitPriceCents: 250, minQuantity: 1, maxQuantity: 1000, usage: { meter: 'interaction_time', channelClass: 'voice', tier: 1 } },
        { code: 'voz_n2', name: 'Atención telefónica, segundo nivel', nameEn: 'Voice attention, tier 2', unit: 'minute', unitPriceCents: 60, minQuantity: 1, maxQuantity: 1000, usage: { meter: 'interaction_time', channelClass: 'voice', tier: 2 } },
      ],
    });
    await activateCard(db, campaignId, card);
    const statement = await buildStatement(db, campaignId, '2026-10', { now: new Date('2026-11-15T18:00:00Z') });
    const line = (code: string) => statement.lines.filter((l) => l.conceptCode === code).map((l) => ({ quantity: l.quantity, exactSeconds: l.exactSeconds, remainderSeconds: l.remainderSeconds, amountCents: l.amountCents }));
    // Tier 1: call 1 before the 10:08 transfer, 300 s talking + 60 s on hold, and call 3, 120 s
    // = 480 s = 8 min × $2.50 = 2,000 ¢. Call 2 (no recording) is excluded across its trace.
    expect(line('voz_n1')).toEqual([{ quantity: 8, exactSeconds: 480, remainderSeconds: 0, amountCents: 2_000 }]);
    // Tier 2: call 1 after the transfer, T1 10:08 → 10:10 = 120 s and T2 10:10 → 10:20 = 600 s
    // = 720 s = 12 min × $0.60 = 720 ¢.
    expect(line('voz_n2')).toEqual([{ quantity: 12, exactSeconds: 720, remainderSeconds: 0, amountCents: 720 }]);
    expect(statement.excluded.map((e) => e.problem)).toEqual(['missing_recording']);
  }, 60_000);
});
