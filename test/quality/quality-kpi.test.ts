import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyQualityKpi } from '../../hub/src/quality/quality-kpi.js';
import { DEFAULT_SCORECARD_ITEMS } from '../../hub/src/quality/scorecard.schema.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { attendedConversation, createChannel } from './quality-fixtures.js';

/** monthlyQualityKpi on hand-computed cases (T&C L10240: Σ scores / the contractual N). */
describe('monthlyQualityKpi', () => {
  let hub: TestHub;
  let campaignId: string;
  const db = () => hub.ctx.db.kysely;

  /** A sample of size N for the month and channel with the given evaluation scores. */
  async function sampleWith(channelKind: string, month: string, sampleSize: number, scores: number[]) {
    const analyst = await createUser(db(), { roles: ['quality_analyst'], campaignIds: [campaignId] });
    const channel = await createChannel(db(), campaignId, channelKind);
    const scorecard = await db()
      .insertInto('quality_scorecards')
      .values({ campaign_id: campaignId, name: `Guía ${channelKind} ${month}`, version: 1, status: 'archived', items: JSON.stringify(DEFAULT_SCORECARD_ITEMS) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sample = await db()
      .insertInto('quality_samples')
      .values({ campaign_id: campaignId, channel_kind: channelKind, month, sample_size: sampleSize, population: scores.length, seed: 's' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [index, score] of scores.entries()) {
      const conversation = await attendedConversation(db(), { campaignId, channelId: channel.id, channelKind, agentId: analyst.id, answeredAt: new Date(`${month}-10T16:00:00Z`) });
      await db().insertInto('quality_sample_items').values({ sample_id: sample.id, conversation_id: conversation.id, position: index + 1 }).execute();
      await db()
        .insertInto('quality_evaluations')
        .values({ sample_id: sample.id, conversation_id: conversation.id, scorecard_id: scorecard.id, analyst_id: analyst.id, answers: '{}', score })
        .execute();
    }
  }

  beforeAll(async () => {
    hub = await createTestHub();
    campaignId = (await createCampaign(db())).id;
    await sampleWith('webchat', '2026-10', 100, [100, 85.25, 0]);
    await sampleWith('voice', '2026-10', 50, [90]);
    await sampleWith('webchat', '2026-09', 100, [100, 100]);
  }, 60_000);
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('is sin_trafico when the month has no sample (no deduction proposed)', async () => {
    const kpi = await monthlyQualityKpi(db(), campaignId, '2026-08');
    expect(kpi).toMatchObject({ kpi: 'quality', value: null, status: 'sin_trafico', numerator: 0, denominator: 0 });
    expect(kpi.explanation).toBe('0 / 0 = sin tráfico');
  });

  it('divides by the contractual N, not by the number scored', async () => {
    // (100 + 85.25 + 0) / 100 = 1.8525 — three monitorings of 100 score low, as the contract prints.
    const webchat = await monthlyQualityKpi(db(), campaignId, '2026-10', 'webchat');
    expect(webchat).toMatchObject({ value: 1.8525, numerator: 185.25, denominator: 100, inputs: { scoreSum: 185.25, scored: 3, sampleSize: 100 } });
    expect(webchat.explanation).toBe('185.25 / 100 = 1.85 %');
    // 90 / 50 = 1.8
    expect((await monthlyQualityKpi(db(), campaignId, '2026-10', 'voice')).value).toBe(1.8);
  });

  it('pools every channel of the month when no channel is given, and leaves other months out', async () => {
    // (185.25 + 90) / (100 + 50) = 275.25 / 150
    const all = await monthlyQualityKpi(db(), campaignId, '2026-10');
    expect(all).toMatchObject({ numerator: 275.25, denominator: 150, value: 275.25 / 150 });
    expect((await monthlyQualityKpi(db(), campaignId, '2026-09')).value).toBe(2);
  });

  it('refuses a malformed month', async () => {
    await expect(monthlyQualityKpi(db(), campaignId, '2026-13')).rejects.toThrow(RangeError);
  });
});
