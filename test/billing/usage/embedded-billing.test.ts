import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '@ventanilla/hub';
import { buildStatement } from '../../../hub/src/billing/statement/build-statement.js';
import { refreshUsage } from '../../../hub/src/billing/usage/usage-refresh.worker.js';
import type { Statement } from '../../../hub/src/billing/billing.contract.js';
import type { Database } from '../../../hub/src/db/schema.js';
import { createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { seedOctober } from './october-scenario.js';

/**
 * The demo runs on the embedded database (PGlite, no DATABASE_URL), and the worker refreshes usage
 * there every 15 min: the same October seeded in PGlite and in the real PostgreSQL derives the same
 * facts (ids, folios and keys aside), prices to the same statement, and the refresh covers the
 * previous and the current month of every campaign.
 */
describe('billing on the embedded database', () => {
  let dataDir: string;
  let embedded: Db;
  let hub: TestHub;
  const NOW = new Date('2026-11-15T18:00:00Z');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ventanilla-embedded-billing-'));
    embedded = await openDatabase({ DATABASE_URL: undefined, DATABASE_SCHEMA: 'public', DATABASE_POOL_SIZE: 1, DATA_DIR: dataDir });
    await migrate(embedded);
    hub = await createTestHub();
  }, 120_000);

  afterAll(async () => {
    await embedded?.close();
    await hub?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const comparable = async (db: Kysely<Database>, campaignId: string) =>
    (await db.selectFrom('billing_usage_facts').selectAll().where('campaign_id', '=', campaignId).execute())
      .map((f) => [f.meter, f.month, Number(f.duration_ms), f.quantity, f.weight_pct, f.seat_type, f.tier, f.channel_class, f.channel_kind, f.direction, f.evidence_problem].join('|'))
      .sort();

  it('derives, refreshes and prices October exactly as PostgreSQL does', async () => {
    const runs: { facts: string[]; inserted: number; statement: Statement }[] = [];
    for (const db of [embedded.kysely, hub.ctx.db.kysely]) {
      const campaignId = (await createCampaign(db)).id;
      await seedOctober(db, campaignId);
      const refreshed = (await refreshUsage(db, NOW)).filter((r) => r.campaignId === campaignId);
      expect(refreshed.map((r) => r.month)).toEqual(['2026-10', '2026-11']);
      const again = (await refreshUsage(db, NOW)).filter((r) => r.campaignId === campaignId);
      expect(again.map((r) => r.result)).toEqual(refreshed.map((r) => ({ inserted: 0, updated: 0, deleted: 0, unchanged: r.result.inserted, frozen: 0 })));
      const statement = await buildStatement(db, campaignId, '2026-10', { derive: false, now: NOW });
      runs.push({ facts: await comparable(db, campaignId), inserted: refreshed[0]!.result.inserted, statement });
    }
    const [pglite, postgres] = runs;
    expect(pglite!.inserted).toBeGreaterThan(20);
    expect(pglite!.facts).toEqual(postgres!.facts);
    const figures = (s: Statement) => ({ lines: s.lines.map((l) => [l.conceptCode, l.quantity, l.amountCents]), subtotal: s.subtotalCents, total: s.totalCents, excluded: s.excluded.length });
    expect(figures(pglite!.statement)).toEqual(figures(postgres!.statement));
    expect(pglite!.statement.subtotalCents).toBeGreaterThan(0);
  }, 180_000);
});
