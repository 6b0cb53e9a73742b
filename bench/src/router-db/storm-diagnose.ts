import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { runRoutingPass } from '../../../hub/src/router/usecases/routing-pass.usecase.js';
import { withNotices } from './sql-timeline.js';

/**
 * Where router_claim spends its time, statement by statement: the storm's pass replayed in a
 * transaction that is rolled back, with auto_explain logging every nested statement's duration
 * (log_analyze off: no per-node timing overhead) to this client as NOTICEs. Run twice: as
 * migrated, and with session_replication_role = replica, which skips the foreign-key triggers
 * (the only triggers on the tables the claim writes), so the difference is their cost.
 */
export interface ClaimStatement {
  name: string;
  ms: number;
}

export interface ClaimDiagnosis {
  foreignKeyChecks: boolean;
  claimed: number;
  passMs: number;
  statements: ClaimStatement[];
}

const NAMES: [RegExp, string][] = [
  [/^INSERT INTO router_claim_d/, 'decisions into the temp table (jsonb_to_recordset)'],
  [/^SELECT 1 FROM agent_seats/, 'lock the seats (FOR UPDATE, id order)'],
  [/^WITH per_agent AS/, 'claim seats: conditional UPDATE agent_seats (load)'],
  [/^WITH taken AS/, 'claim conversations: conditional UPDATE conversations'],
  [/^UPDATE agent_seats s\s+SET load_text = s.load_text -/, 'give back seats of lost conversations'],
  [/^UPDATE agent_seats s\s+SET idle_since/, 'UPDATE agent_seats (idle_since, assigned_today)'],
  [/^INSERT INTO offers/, 'INSERT offers'],
  [/^INSERT INTO interaction_events/, 'INSERT interaction_events'],
  [/^WITH ins AS/, 'INSERT outbox … RETURNING + jsonb_agg'],
  [/^SELECT coalesce\(jsonb_agg\(jsonb_build_object\('offerId'/, 'claimed list (jsonb_agg)'],
  [/^SELECT router_claim/, 'router_claim, whole call'],
];

export async function diagnoseClaim(db: Kysely<Database>, waitingLimit: number, foreignKeyChecks: boolean): Promise<ClaimDiagnosis> {
  let claimed = 0;
  let passMs = 0;
  const { notices } = await withNotices(async () => {
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`LOAD 'auto_explain'`.execute(trx);
        await sql`SET LOCAL auto_explain.log_min_duration = 0`.execute(trx);
        await sql`SET LOCAL auto_explain.log_analyze = off`.execute(trx);
        await sql`SET LOCAL auto_explain.log_nested_statements = on`.execute(trx);
        await sql`SET LOCAL auto_explain.log_level = notice`.execute(trx);
        await sql`SET LOCAL client_min_messages = notice`.execute(trx);
        if (!foreignKeyChecks) await sql`SET LOCAL session_replication_role = replica`.execute(trx);
        await sql`UPDATE agent_seats SET state = 'available', state_since = clock_timestamp() WHERE state <> 'available'`.execute(trx);
        const t = performance.now();
        const result = await runRoutingPass(trx, Date.now(), { waitingLimit });
        passMs = performance.now() - t;
        claimed = result.claimed.length;
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
  });
  const statements: ClaimStatement[] = [];
  for (const notice of notices) {
    const match = /^duration: ([\d.]+) ms\s+plan:\s*\nQuery Text:\s*([\s\S]*)$/.exec(notice);
    if (!match) continue;
    const text = (match[2] ?? '').trim();
    const name = NAMES.find(([re]) => re.test(text))?.[1];
    if (name) statements.push({ name, ms: Number(match[1]) });
  }
  return { foreignKeyChecks, claimed, passMs, statements };
}

class Rollback extends Error {}
