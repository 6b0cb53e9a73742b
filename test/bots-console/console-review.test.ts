import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiChannel } from '../support/factories.js';
import { botConversation, consoleWorld, insertModelRow, smallModel, type ConsoleWorld } from './console-fixtures.js';

interface Unmatched {
  turnId: string;
  utterance: string;
  language: string;
  guess: string | null;
  score: number;
  answeredBy: string;
  conversationId: string;
  folio: string;
  createdAt: string;
}
interface ErrorBody {
  error: { code: string };
}
interface ModelDetail {
  id: string;
  version: number;
  status: string;
  training: unknown;
  model: { intents: { name: string; phrases: { es: string[]; en: string[] } }[] };
}

/** The billing weights of seed-digest §5.4 (L2053–L2058). */
const WEIGHT = { resolved: 100, handed_off: 30, wrong: 0, cut_off: 30 } as const;
type Outcome = keyof typeof WEIGHT;

/**
 * Issue 7 items 4 and 5: the trainers' inbox of utterances the bot did not understand (add to an
 * intent in one click, or dismiss), per-intent metrics from the interactions' outcomes, and
 * wrong-answer flags that detect the repeated deviation.
 */
describe('intent console: review', () => {
  let w: ConsoleWorld;
  let productionId: string;

  beforeAll(async () => {
    w = await consoleWorld();
    // A trained production version: the inbox asks it for its guesses.
    productionId = (await w.api('POST', '/import', w.tokens.trainer, { model: smallModel() })).json<{ id: string }>().id;
    expect((await w.api('POST', `/models/${productionId}/train`, w.tokens.trainer)).status).toBe(200);
    expect((await w.api('POST', `/models/${productionId}/promote`, w.tokens.trainer)).status).toBe(200);
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  async function outcome(sessionId: string, conversationId: string, intent: string | null, kind: Outcome, supersededBy: string | null = null, campaign = { campaignId: w.campaignId, channelId: w.channelId, modelId: productionId }) {
    return w.db
      .insertInto('bot_outcomes')
      .values({
        session_id: sessionId,
        conversation_id: conversationId,
        campaign_id: campaign.campaignId,
        channel_id: campaign.channelId,
        model_id: campaign.modelId,
        intent,
        outcome: kind,
        weight_pct: WEIGHT[kind],
        superseded_by: supersededBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  }

  describe('unmatched inbox', () => {
    const pending: { turnId: string; folio: string }[] = [];

    beforeAll(async () => {
      const base = Date.now() - 60_000;
      await botConversation(w, productionId, { utterance: 'hola', intent: 'saludo', review: 'none', at: new Date(base) });
      // As the runtime stores them: no intent (none reached the threshold), NLU's best score.
      pending.push(await botConversation(w, productionId, { utterance: 'Buenas   noches ', intent: null, score: 0.41, answeredBy: 'fallback', review: 'pending', at: new Date(base + 1000) }));
      pending.push(await botConversation(w, productionId, { utterance: 'buenas noches', intent: null, score: 0.45, answeredBy: 'fallback', review: 'pending', at: new Date(base + 2000) }));
      // Score 0: NLU did not classify it at all (an utterance issue), so there is no guess.
      pending.push(await botConversation(w, productionId, { utterance: 'requisitos para la pensión', intent: null, score: 0, answeredBy: 'kb', review: 'pending', at: new Date(base + 3000) }));
      pending.push(await botConversation(w, productionId, { utterance: 'good evening', intent: null, score: 0.2, answeredBy: 'fallback', review: 'pending', language: 'en', at: new Date(base + 4000) }));
    });

    it('lists pending utterances newest first with the conversation folio, and pages with `before`', async () => {
      const res = await w.api('GET', '/unmatched', w.tokens.supervisor);
      expect(res.status, res.body).toBe(200);
      const items = res.json<{ items: Unmatched[] }>().items;
      expect(items.map((i) => i.utterance)).toEqual(['good evening', 'requisitos para la pensión', 'buenas noches', 'Buenas   noches ']);
      expect(items[3]).toMatchObject({ turnId: pending[0]!.turnId, folio: pending[0]!.folio, guess: 'saludo', answeredBy: 'fallback', language: 'es' });
      expect(items[3]!.score).toBeCloseTo(0.41, 5);
      expect(items[1]).toMatchObject({ answeredBy: 'kb', guess: null });

      const page = (await w.api('GET', '/unmatched?limit=2', w.tokens.trainer)).json<{ items: Unmatched[] }>().items;
      expect(page).toHaveLength(2);
      const next = (await w.api('GET', `/unmatched?limit=2&before=${encodeURIComponent(page[1]!.createdAt)}`, w.tokens.trainer)).json<{ items: Unmatched[] }>().items;
      expect(next.map((i) => i.utterance)).toEqual(['buenas noches', 'Buenas   noches ']);
    });

    it('an unknown intent is refused and the utterance stays pending', async () => {
      const res = await w.api('POST', `/unmatched/${pending[0]!.turnId}/add`, w.tokens.trainer, { intent: 'no_existe' });
      expect(res.status, res.body).toBe(400);
      expect(res.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_INTENT_UNKNOWN');
      const drafts = await w.db.selectFrom('bot_models').select('id').where('campaign_id', '=', w.campaignId).where('status', '=', 'draft').execute();
      // Nothing was left behind: the draft made for the phrase went with the refused request.
      expect(drafts).toEqual([]);
      const turn = await w.db.selectFrom('bot_turns').select('review').where('id', '=', pending[0]!.turnId).executeTakeFirstOrThrow();
      expect(turn.review).toBe('pending');
    });

    it('add puts the phrase in a new draft made from production, once, in the turn’s language or the one given', async () => {
      const first = await w.api('POST', `/unmatched/${pending[0]!.turnId}/add`, w.tokens.trainer, { intent: 'saludo' });
      expect(first.status, first.body).toBe(200);
      const { modelId } = first.json<{ modelId: string }>();
      expect(modelId).not.toBe(productionId);

      const again = await w.api('POST', `/unmatched/${pending[1]!.turnId}/add`, w.tokens.admin, { intent: 'saludo' });
      expect(again.json<{ modelId: string }>().modelId).toBe(modelId);
      const english = await w.api('POST', `/unmatched/${pending[3]!.turnId}/add`, w.tokens.trainer, { intent: 'saludo' });
      expect(english.json<{ modelId: string }>().modelId).toBe(modelId);

      const draft = (await w.api('GET', `/models/${modelId}`, w.tokens.trainer)).json<ModelDetail>();
      expect(draft).toMatchObject({ version: 2, status: 'draft', training: null });
      const saludo = draft.model.intents.find((i) => i.name === 'saludo')!;
      const original = smallModel().intents[0]!.phrases.es;
      expect(saludo.phrases.es).toEqual([...original, 'Buenas noches']);
      expect(saludo.phrases.en).toEqual(['good evening']);

      const reviewed = await w.db.selectFrom('bot_turns').select(['id', 'review', 'reviewed_by']).where('id', 'in', [pending[0]!.turnId, pending[1]!.turnId]).execute();
      expect(reviewed.every((t) => t.review === 'added' && t.reviewed_by !== null)).toBe(true);
      const left = (await w.api('GET', '/unmatched', w.tokens.trainer)).json<{ items: Unmatched[] }>().items;
      expect(left.map((i) => i.utterance)).toEqual(['requisitos para la pensión']);

      const twice = await w.api('POST', `/unmatched/${pending[0]!.turnId}/add`, w.tokens.trainer, { intent: 'saludo' });
      expect(twice.status).toBe(409);
      expect(twice.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_TURN_REVIEWED');
    });

    it('dismiss takes the utterance out of the inbox, audited', async () => {
      const res = await w.api('POST', `/unmatched/${pending[2]!.turnId}/dismiss`, w.tokens.trainer);
      expect(res.status, res.body).toBe(200);
      expect(res.json()).toEqual({ dismissed: true });
      expect((await w.api('GET', '/unmatched', w.tokens.trainer)).json<{ items: Unmatched[] }>().items).toEqual([]);
      const audit = await w.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', 'like', 'bot_turn.%').orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['bot_turn.phrase_added', 'bot_turn.phrase_added', 'bot_turn.phrase_added', 'bot_turn.dismissed']);
      expect(audit[3]!.target_id).toBe(pending[2]!.turnId);
    });
  });

  describe('metrics and wrong answers', () => {
    const from = new Date('2026-03-01T00:00:00Z');
    const to = new Date('2026-04-01T00:00:00Z');
    const inMarch = (day: number) => new Date(Date.UTC(2026, 2, day, 15));

    beforeAll(async () => {
      const record = async (intent: string | null, kinds: Outcome[], at: Date) => {
        const c = await botConversation(w, productionId, { utterance: 'texto', intent, at });
        // Earlier outcomes are superseded by the last one: only the last counts.
        const current = await outcome(c.sessionId, c.conversationId, intent, kinds[kinds.length - 1]!);
        for (const earlier of kinds.slice(0, -1)) await outcome(c.sessionId, c.conversationId, intent, earlier, current.id);
      };
      await record('saludo', ['resolved'], inMarch(2));
      await record('saludo', ['resolved'], inMarch(3));
      await record('saludo', ['handed_off'], inMarch(4));
      await record('semanas_cotizadas', ['resolved'], inMarch(5));
      await record('semanas_cotizadas', ['resolved', 'wrong'], inMarch(6));
      await record('semanas_cotizadas', ['wrong'], inMarch(7));
      await record('semanas_cotizadas', ['cut_off'], inMarch(8));
      await record(null, ['handed_off'], inMarch(9));
      // Outside [from, to): the day before and the first instant after.
      await record('saludo', ['resolved'], new Date(from.getTime() - 1));
      await record('saludo', ['wrong'], to);
      // Another campaign's interactions never count here.
      const other = { db: w.db, campaignId: w.otherCampaignId, channelId: (await createApiChannel(w.db, w.otherCampaignId)).channel.id };
      const otherModel = (await insertModelRow({ db: w.db, campaignId: w.otherCampaignId }, 1, 'production', smallModel())).id;
      const c = await botConversation(other, otherModel, { utterance: 'hola', intent: 'saludo', at: inMarch(10) });
      await outcome(c.sessionId, c.conversationId, 'saludo', 'resolved', null, { campaignId: w.otherCampaignId, channelId: other.channelId, modelId: otherModel });
    });

    it('per intent: volume, containment, handoff rate, accuracy, repeated wrong; totals weigh 100/30/0/30 %', async () => {
      const res = await w.api('GET', `/metrics?from=${from.toISOString()}&to=${to.toISOString()}`, w.tokens.supervisor);
      expect(res.status, res.body).toBe(200);
      const metrics = res.json<{ from: string; to: string; totals: Record<string, number>; intents: Record<string, unknown>[] }>();
      expect(metrics.from).toBe(from.toISOString());
      expect(metrics.to).toBe(to.toISOString());
      expect(metrics.totals).toEqual({ interactions: 8, resolved: 3, handedOff: 2, wrong: 2, cutOff: 1, containment: 3 / 8, billableWeightedInteractions: 3.9 });
      expect(metrics.intents).toEqual([
        { intent: 'semanas_cotizadas', volume: 4, resolved: 1, handedOff: 0, wrong: 2, cutOff: 1, containment: 0.25, handoffRate: 0, accuracy: 0.5, repeatedWrong: true },
        { intent: 'saludo', volume: 3, resolved: 2, handedOff: 1, wrong: 0, cutOff: 0, containment: 2 / 3, handoffRate: 1 / 3, accuracy: 1, repeatedWrong: false },
        { intent: '(sin intención)', volume: 1, resolved: 0, handedOff: 1, wrong: 0, cutOff: 0, containment: 0, handoffRate: 1, accuracy: 1, repeatedWrong: false },
      ]);
    });

    it('flagging two answers of the same intent wrong: the second is a repeated deviation, both count as wrong', async () => {
      const first = await botConversation(w, productionId, { utterance: 'cuál es mi clínica', intent: 'alta_clinica' });
      const second = await botConversation(w, productionId, { utterance: 'cambiar de clínica familiar', intent: 'alta_clinica' });
      await outcome(first.sessionId, first.conversationId, 'alta_clinica', 'resolved');
      await outcome(second.sessionId, second.conversationId, 'alta_clinica', 'resolved');

      const a = await w.api('POST', `/turns/${first.turnId}/flag-wrong`, w.tokens.trainer, { reason: 'Dio la clínica equivocada' });
      expect(a.status, a.body).toBe(200);
      expect(a.json()).toEqual({ outcome: 'wrong', repeated: false });
      const b = await w.api('POST', `/turns/${second.turnId}/flag-wrong`, w.tokens.admin, { reason: 'Otra vez la clínica equivocada' });
      expect(b.status, b.body).toBe(200);
      expect(b.json()).toEqual({ outcome: 'wrong', repeated: true });

      const current = await w.db
        .selectFrom('bot_outcomes')
        .select(['session_id', 'outcome', 'weight_pct', 'turn_id', 'decided_by'])
        .where('session_id', 'in', [first.sessionId, second.sessionId])
        .where('superseded_by', 'is', null)
        .orderBy('decided_at')
        .execute();
      expect(current).toEqual([
        { session_id: first.sessionId, outcome: 'wrong', weight_pct: 0, turn_id: first.turnId, decided_by: w.trainerId },
        { session_id: second.sessionId, outcome: 'wrong', weight_pct: 0, turn_id: second.turnId, decided_by: expect.any(String) },
      ]);
      const audit = await w.db.selectFrom('audit_log').select(['target_id', 'details']).where('action', '=', 'bot_turn.flagged_wrong').orderBy('id').execute();
      expect(audit.map((r) => r.target_id)).toEqual([first.turnId, second.turnId]);

      const metrics = (await w.api('GET', '/metrics', w.tokens.trainer)).json<{ intents: { intent: string; wrong: number; repeatedWrong: boolean }[] }>();
      expect(metrics.intents.find((i) => i.intent === 'alta_clinica')).toMatchObject({ wrong: 2, repeatedWrong: true });
    });

    it('a turn of another campaign cannot be flagged from this one', async () => {
      const res = await w.hub.app.inject({
        method: 'POST',
        url: `/api/v1/campaigns/${w.otherCampaignId}/bot/turns/${(await w.db.selectFrom('bot_turns').select('id').where('campaign_id', '=', w.campaignId).executeTakeFirstOrThrow()).id}/flag-wrong`,
        headers: { authorization: `Bearer ${w.tokens.admin}` },
        payload: { reason: 'x' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_TURN_NOT_FOUND');
    });
  });
});
