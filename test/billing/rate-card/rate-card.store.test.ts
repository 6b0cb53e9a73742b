import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRateCard } from '../../../hub/src/billing/rate-card/default-rate-card.js';
import { activateRateCardDraft, listRateCards, loadRateCard, rateCardById, saveRateCardDraft } from '../../../hub/src/billing/rate-card/rate-card.store.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';

/**
 * Issue 10 item 1 against the real PostgreSQL: draft → active → archived, one draft and one
 * active card per campaign, version numbers, the default card before any activation, audit rows.
 */

let hub: TestHub;
let campaignId: string;
let otherCampaignId: string;
let adminId: string;

beforeAll(async () => {
  hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  campaignId = (await createCampaign(db)).id;
  otherCampaignId = (await createCampaign(db)).id;
  adminId = (await createUser(db, { roles: ['admin'] })).id;
});
afterAll(async () => {
  await hub?.cleanup();
});

/** The default card with its PS-I price changed (a draft an admin would save). */
function priced(psiCents: number) {
  const card = defaultRateCard('2028-10');
  return { ...card, concepts: card.concepts.map((c) => (c.code === 'ps_i_inbound' ? { ...c, unitPriceCents: psiCents } : c)) };
}

async function auditActions(targetId: string): Promise<{ action: string; details: unknown }[]> {
  return hub.ctx.db.kysely.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', targetId).orderBy('id', 'asc').execute();
}

describe('rate card store', () => {
  it('without an active card the statement prices with the default card (id null, version 0)', async () => {
    const loaded = await loadRateCard(hub.ctx.db.kysely, campaignId);
    expect(loaded.id).toBeNull();
    expect(loaded.version).toBe(0);
    expect(loaded.status).toBe('default');
    expect(loaded.card.concepts.find((c) => c.code === 'ps_i_inbound')?.unitPriceCents).toBe(238);
    expect(await listRateCards(hub.ctx.db.kysely, campaignId)).toEqual([]);
  });

  it('saving twice keeps one draft (version 1, replaced); a draft is not what the statement prices with', async () => {
    const db = hub.ctx.db.kysely;
    const first = await saveRateCardDraft(db, campaignId, priced(240), { userId: adminId, ip: '10.0.0.1', userAgent: 'vitest' });
    expect(first).toMatchObject({ campaignId, version: 1, status: 'draft', createdBy: adminId, activatedAt: null });
    const second = await saveRateCardDraft(db, campaignId, priced(241), { userId: adminId });
    expect(second.id).toBe(first.id);
    expect(second.version).toBe(1);
    expect(second.card.concepts.find((c) => c.code === 'ps_i_inbound')?.unitPriceCents).toBe(241);
    expect((await listRateCards(db, campaignId)).map((v) => [v.version, v.status])).toEqual([[1, 'draft']]);
    expect((await loadRateCard(db, campaignId)).status).toBe('default');
    const audit = await auditActions(first.id);
    expect(audit.map((a) => a.action)).toEqual(['billing.rate_card_draft_saved', 'billing.rate_card_draft_saved']);
    expect(audit[1]?.details).toMatchObject({ version: 1 });
    expect(JSON.stringify(audit[1]?.details)).toContain('"code":"ps_i_inbound","unitPriceCents":241');
  });

  it('activation makes the draft the active card; the next draft is version 2; activating it archives version 1', async () => {
    const db = hub.ctx.db.kysely;
    const v1 = await activateRateCardDraft(db, campaignId, { userId: adminId });
    expect(v1).toMatchObject({ version: 1, status: 'active', activatedBy: adminId });
    expect(v1.activatedAt).not.toBeNull();
    const loaded = await loadRateCard(db, campaignId);
    expect(loaded).toMatchObject({ id: v1.id, version: 1, status: 'active' });
    expect(loaded.card.concepts.find((c) => c.code === 'ps_i_inbound')?.unitPriceCents).toBe(241);

    const v2 = await saveRateCardDraft(db, campaignId, priced(250), { userId: adminId });
    expect(v2.version).toBe(2);
    // The draft does not change what is billed until it is activated.
    expect((await loadRateCard(db, campaignId)).version).toBe(1);
    await activateRateCardDraft(db, campaignId, { userId: adminId });
    expect((await listRateCards(db, campaignId)).map((v) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'archived'],
    ]);
    const current = await loadRateCard(db, campaignId);
    expect(current).toMatchObject({ id: v2.id, version: 2, status: 'active' });
    expect(current.card.concepts.find((c) => c.code === 'ps_i_inbound')?.unitPriceCents).toBe(250);
    // Closed months point at archived versions: rateCardById still finds them.
    const archived = await rateCardById(db, v1.id);
    expect(archived).toMatchObject({ version: 1, status: 'archived' });
    expect(archived?.card.concepts.find((c) => c.code === 'ps_i_inbound')?.unitPriceCents).toBe(241);
    expect((await auditActions(v2.id)).map((a) => a.action)).toEqual(['billing.rate_card_draft_saved', 'billing.rate_card_activated']);
    expect((await auditActions(v2.id))[1]?.details).toEqual({ version: 2, archivedVersion: 1 });
  });

  it('activating with no draft is a conflict with a Spanish message', async () => {
    const error = await activateRateCardDraft(hub.ctx.db.kysely, campaignId, { userId: adminId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).statusCode).toBe(409);
    expect((error as HubError).message).toBe('No hay un borrador de tarifa para activar; guarde uno primero / there is no rate card draft to activate, save one first');
  });

  it('an invalid card is refused with its problems and stores nothing', async () => {
    const db = hub.ctx.db.kysely;
    const error = await saveRateCardDraft(db, otherCampaignId, { ...priced(0), ivaPct: 116 }, { userId: adminId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('HUB_ERR_VALIDATION');
    expect((error as HubError).details).toEqual({
      problems: [
        { path: 'ivaPct', message: 'el IVA debe estar entre 0 y 100 / IVA must be between 0 and 100' },
        { path: 'concepts.2.unitPriceCents', message: 'el precio unitario debe ser mayor que 0 / the unit price must be greater than 0' },
      ],
    });
    expect(await listRateCards(db, otherCampaignId)).toEqual([]);
  });

  it('versions are per campaign; an unknown campaign is 404; an unknown id is null', async () => {
    const db = hub.ctx.db.kysely;
    const other = await saveRateCardDraft(db, otherCampaignId, priced(239), { userId: adminId });
    expect(other.version).toBe(1);
    const missing = await saveRateCardDraft(db, '00000000-0000-4000-8000-000000000000', priced(239), { userId: adminId }).catch((e: unknown) => e);
    expect((missing as HubError).code).toBe('HUB_ERR_CAMPAIGN_NOT_FOUND');
    expect(await rateCardById(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
