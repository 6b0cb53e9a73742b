import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDatabase, type Config } from '@ventanilla/hub';
import { signVisitorToken } from '../../../hub/src/webchat/visitor-token.js';
import { prepareStaff, type StaffAgent } from '../sockets/staff-fixtures.js';
import type { VisitorEntry } from './widget-protocol.js';

/** The page embedding the widget in the benchmark (the channel's only allowed origin). */
export const BENCH_ORIGIN = 'https://www.gob.mx';

export interface WidgetFixtures {
  campaignId: string;
  channelId: string;
  /** The agent who answers in the round trips (access token signed like a login's). */
  agent: StaffAgent;
  /** Visitors with a pre-chat session, for the memory phase. */
  visitors: VisitorEntry[];
  seedMs: number;
  tokensMs: number;
}

/**
 * The widget benchmark's world in the run's own schema: one campaign with one agent
 * (sockets/staff-fixtures.ts), one web chat channel (CAPTCHA `none`, one allowed origin) and
 * `visitors` pre-chat sessions. The sessions are written set-based and their tokens signed
 * with the hub's own `signVisitorToken` — what `POST /channels/:id/sessions` stores and returns —
 * because thousands of forms through HTTP would only measure the form (the round-trip phase
 * creates its visitors through HTTP instead).
 */
export async function prepareWidget(config: Config, visitors: number): Promise<WidgetFixtures> {
  const t0 = performance.now();
  const staff = await prepareStaff(config, 1, 1);
  const campaignId = staff.campaignIds[0];
  const agent = staff.agents[0];
  if (!campaignId || !agent) throw new Error('staff fixtures: no campaign or agent');
  const db = await openDatabase(config);
  try {
    const k = db.kysely;
    const channel = await k
      .insertInto('channels')
      .values({
        campaign_id: campaignId,
        kind: 'webchat',
        name: 'Chat web (benchmark)',
        settings: JSON.stringify({ allowedOrigins: [BENCH_ORIGIN], captcha: { kind: 'none' } }),
        secrets: '{}',
        enabled: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const visitorIds = Array.from({ length: visitors }, () => randomUUID());
    await sql`
      INSERT INTO webchat_sessions (visitor_id, channel_id, campaign_id, origin, name, ip, user_agent)
      SELECT id, ${channel.id}::uuid, ${campaignId}::uuid, ${BENCH_ORIGIN}, 'Visitante ' || n, '203.0.113.' || (n % 250 + 1),
             'Mozilla/5.0 (X11; Linux x86_64) Banco/1.0'
        FROM unnest(${visitorIds}::uuid[]) WITH ORDINALITY AS t(id, n)`.execute(k);
    await sql`ANALYZE webchat_sessions`.execute(k);
    const seedMs = performance.now() - t0;

    const t1 = performance.now();
    const tokens = new Array<string>(visitors);
    for (let start = 0; start < visitors; start += 500) {
      const batch = visitorIds.slice(start, start + 500);
      const signed = await Promise.all(batch.map((visitorId) => signVisitorToken(config.JWT_SECRET, { visitorId, channelId: channel.id, origin: BENCH_ORIGIN })));
      signed.forEach((token, i) => (tokens[start + i] = token));
    }
    return {
      campaignId,
      channelId: channel.id,
      agent,
      visitors: visitorIds.map((visitorId, i) => ({ visitorId, token: tokens[i] ?? '' })),
      seedMs,
      tokensMs: performance.now() - t1,
    };
  } finally {
    await db.close();
  }
}
