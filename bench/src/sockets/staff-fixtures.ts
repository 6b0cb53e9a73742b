import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { migrate, openDatabase, signAccessToken, type Config } from '@ventanilla/hub';

/**
 * The staff of the socket benchmark, written set-based in the run's own schema: `campaigns`
 * campaigns, `agents` agents (agent n in campaign n mod C, every tenth also in the next one, as
 * an agent covering two lines), one live refresh-token family per agent (what a login leaves) and
 * an access token per agent signed with the hub's secret, so the hub's handshake check passes
 * exactly as for the inbox: JWT verified, principal and session loaded from PostgreSQL.
 */
export interface StaffAgent {
  userId: string;
  campaignIds: string[];
  token: string;
}

export interface StaffFixtures {
  campaignIds: string[];
  agents: StaffAgent[];
  memberships: number;
  seedMs: number;
  tokensMs: number;
}

export async function prepareStaff(config: Config, agents: number, campaigns: number): Promise<StaffFixtures> {
  const t0 = performance.now();
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const k = db.kysely;
    const campaignRows = (
      await sql<{ id: string }>`
        INSERT INTO campaigns (slug, name, folio_prefix, settings)
        SELECT 'sockets-' || n, 'Campaña ' || n, 'S' || chr(65 + (n / 26) % 26) || chr(65 + n % 26), '{}'::jsonb
          FROM generate_series(0, ${campaigns - 1}::int) AS n ORDER BY n
        RETURNING id`.execute(k)
    ).rows;
    const campaignIds = campaignRows.map((r) => r.id);
    const userIds = Array.from({ length: agents }, () => randomUUID());
    const familyIds = Array.from({ length: agents }, () => randomUUID());
    await sql`
      INSERT INTO users (id, email, display_name, password_hash, roles)
      SELECT id, 'agente-' || n || '@sockets.example.mx', 'Agente ' || n, 'not-a-password-hash', ARRAY['agent']::text[]
        FROM unnest(${userIds}::uuid[]) WITH ORDINALITY AS t(id, n)`.execute(k);
    await sql`
      INSERT INTO user_campaigns (user_id, campaign_id)
      SELECT t.id, (${campaignIds}::uuid[])[1 + (t.n - 1) % ${campaigns}::int]
        FROM unnest(${userIds}::uuid[]) WITH ORDINALITY AS t(id, n)
      UNION ALL
      SELECT t.id, (${campaignIds}::uuid[])[1 + t.n % ${campaigns}::int]
        FROM unnest(${userIds}::uuid[]) WITH ORDINALITY AS t(id, n)
       WHERE t.n % 10 = 0 AND ${campaigns}::int > 1`.execute(k);
    await sql`
      INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
      SELECT uid, fid, encode(sha256(convert_to(fid::text, 'UTF8')), 'hex'), now() + interval '2 hours'
        FROM unnest(${userIds}::uuid[], ${familyIds}::uuid[]) AS t(uid, fid)`.execute(k);
    await sql`ANALYZE users`.execute(k);
    await sql`ANALYZE user_campaigns`.execute(k);
    await sql`ANALYZE refresh_tokens`.execute(k);
    const memberships = (await sql<{ user_id: string; ids: string[] }>`
      SELECT user_id::text, array_agg(campaign_id::text ORDER BY campaign_id) AS ids FROM user_campaigns GROUP BY user_id`.execute(k)).rows;
    const campaignsOf = new Map(memberships.map((m) => [m.user_id, m.ids]));
    const seedMs = performance.now() - t0;

    const t1 = performance.now();
    const tokens: string[] = new Array<string>(agents);
    for (let start = 0; start < agents; start += 500) {
      const batch = userIds.slice(start, start + 500);
      const signed = await Promise.all(batch.map((userId, i) => signAccessToken(config.JWT_SECRET, 3600, { userId, sessionId: familyIds[start + i] ?? '' })));
      signed.forEach((token, i) => (tokens[start + i] = token));
    }
    return {
      campaignIds,
      agents: userIds.map((userId, i) => ({ userId, campaignIds: campaignsOf.get(userId) ?? [], token: tokens[i] ?? '' })),
      memberships: memberships.reduce((n, m) => n + m.ids.length, 0),
      seedMs,
      tokensMs: performance.now() - t1,
    };
  } finally {
    await db.close();
  }
}
