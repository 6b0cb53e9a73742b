import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from '../../hub/src/config/config.js';
import { markWrong, recordOutcome } from '../../hub/src/bots/runtime/outcomes.js';
import { createApiChannel, createCampaign } from '../support/factories.js';
import { createTestHub, TEST_JWT_SECRET, type TestHub } from '../support/test-context.js';
import { storeProductionModel } from './bot-harness.js';
import { runtimeTestModel } from './test-model.js';

/**
 * Bot outcomes (issue 7 item 4): one current outcome per session, weighted 100/30/0/30 %, each a
 * `bot.outcome` usage fact; a wrong-answer flag supersedes (append-only) and a second wrong answer
 * on the same intent within 30 days is flagged as repeated.
 */
describe('bot outcomes', () => {
  let hub: TestHub;
  let campaignId: string;
  let channelId: string;
  let modelId: string;

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db)).id;
    channelId = (await createApiChannel(db, campaignId)).channel.id;
    modelId = await storeProductionModel(db, campaignId, runtimeTestModel());
  });

  afterAll(async () => {
    await hub?.cleanup();
  });

  /** A conversation the bot holds, with a session whose intents are `intents`. */
  async function session(intents: string[]): Promise<{ sessionId: string; conversationId: string }> {
    const db = hub.ctx.db.kysely;
    const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana' }).returning('id').executeTakeFirstOrThrow();
    const conversation = await db
      .insertInto('conversations')
      .values({ folio: `OUT-${randomBytes(4).toString('hex')}`, campaign_id: campaignId, channel_id: channelId, contact_id: contact.id, status: 'bot' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await db
      .insertInto('bot_sessions')
      .values({ conversation_id: conversation.id, campaign_id: campaignId, model_id: modelId, state: JSON.stringify({ language: 'es', intents, collected: {}, recent: [], fallbacks: 0, turns: 1, greeted: true }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { sessionId: row.id, conversationId: conversation.id };
  }

  const outcomes = (sessionId: string) =>
    hub.ctx.db.kysely.selectFrom('bot_outcomes').select(['id', 'outcome', 'weight_pct', 'intent', 'superseded_by', 'reason']).where('session_id', '=', sessionId).orderBy('decided_at').execute();

  it('records each outcome with its weight and a bot.outcome usage fact; the same outcome twice is one row', async () => {
    const db = hub.ctx.db.kysely;
    for (const [outcome, weight] of [['resolved', 100], ['handed_off', 30], ['cut_off', 30]] as const) {
      const s = await session(['saludo', 'consultar_folio']);
      const first = await db.transaction().execute((trx) => recordOutcome(trx, { sessionId: s.sessionId, outcome }));
      const second = await db.transaction().execute((trx) => recordOutcome(trx, { sessionId: s.sessionId, outcome }));
      expect(second.outcomeId).toBe(first.outcomeId);
      expect(await outcomes(s.sessionId)).toEqual([expect.objectContaining({ outcome, weight_pct: weight, intent: 'consultar_folio', superseded_by: null })]);
      const facts = await db.selectFrom('interaction_events').select(['payload', 'actor_type']).where('conversation_id', '=', s.conversationId).where('type', '=', 'bot.outcome').execute();
      expect(facts).toEqual([{ actor_type: 'bot', payload: expect.objectContaining({ outcome, weightPct: weight, intent: 'consultar_folio', modelId, channelId, outcomeId: first.outcomeId }) }]);
    }
  });

  it('supersedes the outcome with a wrong answer (0 %), keeping the history, and the session ending later does not undo it', async () => {
    const db = hub.ctx.db.kysely;
    const s = await session(['registrar_nss']);
    const resolved = await db.transaction().execute((trx) => recordOutcome(trx, { sessionId: s.sessionId, outcome: 'resolved' }));
    const trainer = await db.insertInto('users').values({ email: `t-${randomBytes(3).toString('hex')}@x.mx`, display_name: 'Entrenadora', password_hash: 'x', roles: ['trainer'] }).returning('id').executeTakeFirstOrThrow();
    const flagged = await db.transaction().execute((trx) => markWrong(trx, { sessionId: s.sessionId, reason: 'respuesta equivocada', decidedBy: trainer.id }));
    expect(flagged.repeated).toBe(false);
    await db.transaction().execute((trx) => recordOutcome(trx, { sessionId: s.sessionId, outcome: 'cut_off' }));
    const rows = await outcomes(s.sessionId);
    expect(rows.map((r) => [r.outcome, r.weight_pct])).toEqual([
      ['resolved', 100],
      ['wrong', 0],
    ]);
    expect(rows[0]!.superseded_by).toBe(rows[1]!.id);
    expect(rows[1]).toMatchObject({ superseded_by: null, reason: 'respuesta equivocada', intent: 'registrar_nss' });
    const fact = await db.selectFrom('interaction_events').select(['payload', 'actor_id']).where('conversation_id', '=', s.conversationId).where('type', '=', 'bot.outcome').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(fact).toEqual({ actor_id: trainer.id, payload: expect.objectContaining({ outcome: 'wrong', weightPct: 0, supersedesId: resolved.outcomeId }) });
  });

  it('flags a repeated wrong answer on the same intent and campaign, not on another intent', async () => {
    const db = hub.ctx.db.kysely;
    const a = await session(['despedida']);
    const b = await session(['despedida']);
    const c = await session(['pensiones']);
    const wrong = (sessionId: string) => db.transaction().execute((trx) => markWrong(trx, { sessionId, reason: 'encuesta negativa', decidedBy: null }));
    expect(await wrong(a.sessionId)).toEqual({ repeated: false });
    expect(await wrong(c.sessionId)).toEqual({ repeated: false });
    expect(await wrong(b.sessionId)).toEqual({ repeated: true });
    const flags = await db.selectFrom('interaction_events').select('payload').where('type', '=', 'bot.repeated_wrong').execute();
    expect(flags).toEqual([{ payload: expect.objectContaining({ sessionId: b.sessionId, intent: 'despedida', campaignWrongs30d: 2 }) }]);
    // Flagging the same session again adds no row.
    await wrong(b.sessionId);
    expect((await outcomes(b.sessionId)).filter((o) => o.outcome === 'wrong')).toHaveLength(1);
  });

  it('refuses a turn that is not one of the session', async () => {
    const db = hub.ctx.db.kysely;
    const s = await session(['saludo']);
    await expect(db.transaction().execute((trx) => markWrong(trx, { sessionId: s.sessionId, reason: 'x', decidedBy: null, turnId: '00000000-0000-4000-8000-000000000000' }))).rejects.toThrow(/not a turn of session/);
  });
});

describe('bot configuration', () => {
  const base = { JWT_SECRET: TEST_JWT_SECRET };

  it('works with no LLM by default', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ BOT_LLM_KIND: 'none', BOT_CONCURRENCY: 8, BOT_IDLE_SWEEP_MS: 60_000 });
  });

  it('lists every missing LLM setting at once when an LLM is asked for', () => {
    expect(() => loadConfig({ ...base, BOT_LLM_KIND: 'ollama' })).toThrow(ConfigError);
    try {
      loadConfig({ ...base, BOT_LLM_KIND: 'ollama' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['BOT_LLM_BASE_URL: required when BOT_LLM_KIND is ollama', 'BOT_LLM_MODEL: required when BOT_LLM_KIND is ollama']);
    }
    const ok = loadConfig({ ...base, BOT_LLM_KIND: 'openai', BOT_LLM_BASE_URL: 'http://127.0.0.1:11434/v1', BOT_LLM_MODEL: 'llama3', BOT_LLM_API_KEY: 'sk-test' });
    expect(ok).toMatchObject({ BOT_LLM_KIND: 'openai', BOT_LLM_MODEL: 'llama3' });
  });
});
