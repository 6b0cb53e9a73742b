import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, startHubProcess, type HubProcess } from '@ventanilla/hub';
import { demoKbArticles } from '@ventanilla/bots';
import { seedDemoBot, type DemoBotResult } from '../../hub/src/seed/demo-bot.js';
import { demoOrigins, seedDemoWebchat } from '../../hub/src/seed/demo-webchat.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import type { SentMessage } from './bot-harness.js';

/**
 * The demo bot (issue 7 items 6 and 9): seeded on both demo campaigns once (trained at seed time,
 * its KB articles published, the bot on its own API channels and the demo web chat), and a
 * citizen asking for the "constancia de situación fiscal" gets the bot's answer through the
 * API channel's callback.
 */
describe('demo bot seed and the constancia question', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20' });
  let hub: HubProcess;
  let first: DemoBotResult;
  let seedMs: number;
  const sent: SentMessage[] = [];

  beforeAll(async () => {
    const fakeFetch: typeof fetch = async (_url, init) => {
      sent.push(JSON.parse(String(init?.body ?? '{}')) as SentMessage);
      return new Response(JSON.stringify({ id: `prov-${sent.length}` }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    hub = await startHubProcess(config, { fetch: fakeFetch });
    await seedDemo(hub.ctx.db.kysely);
    await seedDemoWebchat(hub.ctx.db.kysely, demoOrigins('http://127.0.0.1:3000'));
    const started = Date.now();
    first = await seedDemoBot(hub.ctx.db.kysely);
    seedMs = Date.now() - started;
  }, 240_000);

  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('stores the trained demo model as production on both campaigns, its articles and bot channels — once', async () => {
    const db = hub.ctx.db.kysely;
    expect(first.modelsCreated).toEqual(['contribuyentes', 'derechohabientes']);
    expect(first.articlesAdded).toBe(2 * demoKbArticles.length);
    const models = await db.selectFrom('bot_models').select(['status', 'version', 'trained', 'training']).execute();
    expect(models).toHaveLength(2);
    for (const m of models) {
      expect(m).toMatchObject({ status: 'production', version: 1 });
      expect(m.trained?.length).toBeGreaterThan(1000);
      expect(m.training?.accuracy).toBeGreaterThan(0.8);
    }
    console.info(`demo bot seed (train + cross-validation): ${seedMs} ms; cross-validated accuracy ${models[0]?.training?.accuracy}`);

    const again = await seedDemoBot(db);
    expect(again).toEqual({ modelsCreated: [], articlesAdded: 0, botChannels: first.botChannels });
    expect(await db.selectFrom('bot_models').select('id').execute()).toHaveLength(2);

    // The channels the simulator and the routing demo use still go straight to agents.
    const demo = await seedDemo(db);
    expect(demo.channels).toHaveLength(2);
    expect(demo.channels.map((c) => c.id)).not.toContain(first.botChannels[0]!.id);
    const webchat = await db.selectFrom('channels').select('settings').where('kind', '=', 'webchat').executeTakeFirstOrThrow();
    expect(webchat.settings).toMatchObject({ bot: { enabled: true } });
  });

  it('answers "¿cómo saco mi constancia de situación fiscal?" as the bot through the API channel', async () => {
    const db = hub.ctx.db.kysely;
    const channel = first.botChannels.find((c) => c.campaign === 'Contribuyentes')!;
    await db
      .updateTable('channels')
      .set({ settings: JSON.stringify({ bot: { enabled: true }, callbackUrl: 'http://citizen.invalid/cb' }) })
      .where('id', '=', channel.id)
      .execute();
    const body = messageBody({ id: 'constancia-1', phone: '5512340000', text: '¿cómo saco mi constancia de situación fiscal?' });
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
    expect(res.status).toBe(200);

    await expect.poll(() => sent.filter((m) => m.sender.type === 'bot').length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    const reply = sent.find((m) => m.sender.type === 'bot')!;
    expect(reply.content.text).toContain('Constancia de Situación Fiscal');
    expect(reply.to.phone).toContain('5512340000');
    const conversation = await db.selectFrom('conversations').select(['id', 'status']).where('id', '=', reply.conversationId).executeTakeFirstOrThrow();
    expect(conversation.status).toBe('bot');
    const turn = await db.selectFrom('bot_turns').select(['intent', 'answered_by', 'score']).where('conversation_id', '=', conversation.id).executeTakeFirstOrThrow();
    expect(turn).toMatchObject({ intent: 'constancia_situacion_fiscal', answered_by: 'intent' });
    const stored = await db.selectFrom('messages').select(['sender_type', 'status']).where('conversation_id', '=', conversation.id).where('direction', '=', 'outbound').execute();
    expect(stored.every((m) => m.sender_type === 'bot')).toBe(true);
    await expect.poll(async () => (await db.selectFrom('messages').select('status').where('id', '=', reply.id).executeTakeFirst())?.status, { timeout: 10_000 }).toBe('sent');
  });
});
