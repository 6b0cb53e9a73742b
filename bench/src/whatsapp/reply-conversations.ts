import type pg from 'pg';
import { closedLoop, LoopbackClient } from '../ingest/http-load.js';
import { checkStoredOnce } from './stored-once.js';
import { benchWamidPrefix, buildWhatsAppPosts } from './whatsapp-posts.js';
import type { BenchWhatsAppChannel } from './whatsapp-fixtures.js';

/**
 * `count` citizens write to `channel` (signed webhooks, not measured) so that an agent has as
 * many open conversations inside the 24-hour window to answer; returns their ids.
 */
export async function openReplyConversations(input: {
  apiUrl: string;
  verify: pg.Pool;
  runId: string;
  phase: string;
  channel: BenchWhatsAppChannel;
  appSecret: string;
  count: number;
  citizenOffset: number;
}): Promise<string[]> {
  const { channel, verify } = input;
  const posts = buildWhatsAppPosts({ runId: input.runId, phase: input.phase, count: input.count, citizenOffset: input.citizenOffset, channelId: channel.id, phoneNumberId: channel.phoneNumberId, appSecret: input.appSecret, seed: 11 });
  const client = new LoopbackClient(input.apiUrl, 32);
  let loop;
  try {
    loop = await closedLoop({ concurrency: 32, count: posts.length, run: async (i) => (await client.post(posts[i]!)).status });
  } finally {
    client.close();
  }
  if (loop.errors > 0) throw new Error(`opening conversations: ${loop.errors} webhooks refused ${JSON.stringify(loop.errorKinds)}`);
  const prefix = benchWamidPrefix(input.runId, input.phase);
  const stored = await checkStoredOnce({ verify, channelId: channel.id, wamidPrefix: prefix, ackAt: loop.ackAt });
  if (!stored.complete) throw new Error(`opening conversations: ${stored.rows} of ${input.count} messages stored`);
  const rows = await verify.query<{ id: string }>('SELECT DISTINCT conversation_id AS id FROM messages WHERE channel_id = $1 AND provider_message_id LIKE $2', [channel.id, `${prefix}%`]);
  return rows.rows.map((r) => r.id);
}
