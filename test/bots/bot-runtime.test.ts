import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { nssCheckDigit } from '../../hub/src/contacts/official-ids.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createQueue, createSkill } from '../support/router-factories.js';
import { messageBody } from '../support/webhook.js';
import { currentOutcome, eventually, startBotHarness, type BotHarness } from './bot-harness.js';
import { runtimeTestModel } from './test-model.js';

/**
 * Issue 7 (bot in the hub): citizens on an API channel with the bot on are answered by the bot
 * through the real pipeline (webhook → ingest → bot worker → outbound → the channel's callback),
 * hand off with a summary the agent reads, resolve, get cut off; a channel without the bot is
 * routed straight to a queue.
 */
describe('bot runtime through the API channel', () => {
  let h: BotHarness;
  let supervisorToken: string;
  let pensionesQueueId: string;

  beforeAll(async () => {
    h = await startBotHarness(runtimeTestModel());
    const skill = await createSkill(h.db, h.campaignId, 'pensiones');
    pensionesQueueId = await createQueue(h.db, h.campaignId, { name: 'Pensiones', skills: { [skill]: 1 } });
    const supervisor = await createUser(h.db, { roles: ['supervisor'], campaignIds: [h.campaignId] });
    supervisorToken = await tokenFor(h.db, supervisor.id);
  }, 60_000);

  afterAll(async () => {
    await h?.cleanup();
  });

  const conversation = (id: string) => h.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const waitStatus = (id: string, status: string) =>
    eventually(async () => {
      const row = await conversation(id);
      return row.status === status ? row : undefined;
    });

  it('routes a channel without the bot straight to its queue', async () => {
    await h.says('5510000001', 'plain-1', 'Hola, necesito ayuda', h.plainChannel);
    const { id } = await h.conversationOf('plain-1');
    const row = await eventually(async () => {
      const c = await conversation(id);
      return c.queue_id !== null ? c : undefined;
    });
    expect(row.status).not.toBe('bot');
    expect(row.queue_id).toBe(h.defaultQueueId);
    expect(await h.db.selectFrom('bot_sessions').select('id').where('conversation_id', '=', id).execute()).toEqual([]);
  });

  it('answers as the bot, then hands off to the queue with a summary note on the timeline', async () => {
    await h.says('5510000002', 'ho-1', 'hola');
    const { id } = await h.conversationOf('ho-1');
    expect((await conversation(id)).status).toBe('bot');
    const [greeting] = await h.waitForBotTexts(id, 1);
    expect(greeting).toBe('Hola, ¿en qué le puedo ayudar?');
    const stored = await h.db.selectFrom('messages').select(['sender_type', 'text', 'status']).where('conversation_id', '=', id).where('direction', '=', 'outbound').execute();
    expect(stored).toEqual([expect.objectContaining({ sender_type: 'bot', text: 'Hola, ¿en qué le puedo ayudar?' })]);
    // The bot read the citizen's message: agents see nothing unread in a conversation the bot holds.
    expect((await conversation(id)).unread_count).toBe(0);
    // Stored untrained (as a test fixture), trained by the hub at its first turn and kept for the next process.
    const model = await h.db.selectFrom('bot_models').select('trained').where('campaign_id', '=', h.campaignId).executeTakeFirstOrThrow();
    expect(model.trained?.length).toBeGreaterThan(100);

    await h.says('5510000002', 'ho-2', 'quiero hablar con un agente');
    const queued = await eventually(async () => {
      const c = await conversation(id);
      return c.status !== 'bot' && c.queue_id !== null ? c : undefined;
    });
    expect(queued.queue_id).toBe(h.defaultQueueId);
    const texts = await h.waitForBotTexts(id, 2);
    expect(texts[1]).toContain('Le comunico con un asesor');

    const res = await fetch(`${h.hub.url}/api/v1/conversations/${id}/timeline`, { headers: bearer(supervisorToken) });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { kind: string; note?: { authorType: string; authorId: string | null; text: string } }[] };
    const notes = items.filter((i) => i.kind === 'note').map((i) => i.note);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ authorType: 'bot', authorId: null });
    expect(notes[0]!.text).toContain('quiero hablar con un agente');

    const outcome = await currentOutcome(h.db, id);
    expect(outcome).toMatchObject({ outcome: 'handed_off', weight_pct: 30, intent: 'hablar_agente' });
    const session = await h.db.selectFrom('bot_sessions').select(['ended_at', 'summary']).where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(session.ended_at).not.toBeNull();
    expect(session.summary).toMatchObject({ reason: 'requested', intent: 'saludo' });
    const events = await h.db.selectFrom('interaction_events').select(['type', 'payload']).where('conversation_id', '=', id).where('type', 'like', 'bot.%').orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['bot.turn', 'bot.outcome', 'bot.handed_off', 'bot.turn']);
    expect(events.find((e) => e.type === 'bot.outcome')?.payload).toMatchObject({ outcome: 'handed_off', weightPct: 30, intent: 'hablar_agente' });
  });

  it('collects an NSS: an invalid one is refused with the reason, a valid one is kept', async () => {
    const valid = `1234567890${nssCheckDigit('1234567890')}`;
    const invalid = `1234567890${(Number(nssCheckDigit('1234567890')) + 1) % 10}`;
    await h.says('5510000003', 'nss-1', 'quiero registrar mi nss');
    const { id } = await h.conversationOf('nss-1');
    expect((await h.waitForBotTexts(id, 1))[0]).toBe('Escriba su NSS de 11 dígitos.');
    await h.says('5510000003', 'nss-2', `mi nss es ${invalid}`);
    expect((await h.waitForBotTexts(id, 2))[1]).toBe('Ese NSS no es válido; revise los 11 dígitos.');
    await h.says('5510000003', 'nss-3', valid);
    expect((await h.waitForBotTexts(id, 3))[2]).toBe(`Gracias, registramos el NSS ${valid}.`);
    const session = await h.db.selectFrom('bot_sessions').select(['state', 'ended_at']).where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(session.ended_at).toBeNull();
    expect(session.state).toMatchObject({ collected: { nss: valid } });
    expect((await conversation(id)).status).toBe('bot');
  });

  it("looks up a folio of its own campaign and never another campaign's", async () => {
    await h.says('5510000013', 'own-fol-1', 'Hola', h.plainChannel);
    const own = await h.conversationOf('own-fol-1');
    const other = await createCampaign(h.db);
    const foreignChannel = await createApiChannel(h.db, other.id);
    await h.post({ id: foreignChannel.channel.id, secret: foreignChannel.secret }, messageBody({ id: 'foreign-1', phone: '5519999999', text: 'Hola' }));
    const foreign = await h.conversationOf('foreign-1');

    await h.says('5510000004', 'fol-1', 'quiero saber el estado de mi folio');
    const { id } = await h.conversationOf('fol-1');
    await h.waitForBotTexts(id, 1);
    await h.says('5510000004', 'fol-2', own.folio);
    expect((await conversation(own.id)).status).toBe('queued');
    expect((await h.waitForBotTexts(id, 2))[1]).toBe(`Su folio ${own.folio} está en espera de un asesor.`);

    // Another citizen (a session remembers the folio it was given) asks for the other campaign's folio.
    await h.says('5510000014', 'fol-3', 'consultar folio');
    const second = await h.conversationOf('fol-3');
    await h.waitForBotTexts(second.id, 1);
    await h.says('5510000014', 'fol-4', foreign.folio);
    expect((await h.waitForBotTexts(second.id, 2))[1]).toBe(`No encontramos el folio ${foreign.folio}.`);
  });

  it('hands off after too many fallbacks, leaving the misunderstood turns for the trainers', async () => {
    await h.says('5510000005', 'fb-1', 'zorblax plumbus quijibo');
    const { id } = await h.conversationOf('fb-1');
    expect((await h.waitForBotTexts(id, 1))[0]).toContain('no entendí');
    await h.says('5510000005', 'fb-2', 'flibber wozzle gnarp');
    await eventually(async () => ((await conversation(id)).status !== 'bot' ? true : undefined));
    expect(await currentOutcome(h.db, id)).toMatchObject({ outcome: 'handed_off', weight_pct: 30 });
    const turns = await h.db.selectFrom('bot_turns').select(['answered_by', 'review', 'utterance']).where('conversation_id', '=', id).orderBy('created_at').execute();
    expect(turns).toEqual([
      { answered_by: 'fallback', review: 'pending', utterance: 'zorblax plumbus quijibo' },
      expect.objectContaining({ answered_by: 'handoff', utterance: 'flibber wozzle gnarp' }),
    ]);
    const summary = await h.db.selectFrom('bot_sessions').select('summary').where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(summary.summary).toMatchObject({ reason: 'fallbacks' });
  });

  it('hands a skill request to the campaign queue that requires the skill', async () => {
    await h.says('5510000006', 'sk-1', 'tengo una duda de mi pensión');
    const { id } = await h.conversationOf('sk-1');
    const row = await eventually(async () => {
      const c = await conversation(id);
      return c.status !== 'bot' ? c : undefined;
    });
    expect(row.queue_id).toBe(pensionesQueueId);
    expect(row.status === 'queued' || row.status === 'offered').toBe(true);
    const queuedEvent = await h.db.selectFrom('interaction_events').select('payload').where('conversation_id', '=', id).where('type', '=', 'conversation.queued').executeTakeFirst();
    expect(queuedEvent?.payload).toMatchObject({ queueId: pensionesQueueId });
  });

  it('resolves and closes the conversation (outcome resolved, 100 %)', async () => {
    await h.says('5510000007', 'res-1', 'gracias eso es todo');
    const { id } = await h.conversationOf('res-1');
    const closed = await waitStatus(id, 'resolved');
    expect(closed.closed_at).not.toBeNull();
    expect((await h.waitForBotTexts(id, 1))[0]).toBe('Con gusto, hasta pronto.');
    expect(await currentOutcome(h.db, id)).toMatchObject({ outcome: 'resolved', weight_pct: 100, intent: 'despedida' });
    const resolved = await h.db.selectFrom('interaction_events').select('payload').where('conversation_id', '=', id).where('type', '=', 'conversation.resolved').executeTakeFirst();
    expect(resolved?.payload).toMatchObject({ agentId: null, reason: 'bot_resolved' });
  });

  it('asks the exit survey rating before closing; a low rating turns the outcome into a wrong answer', async () => {
    await h.says('5510000008', 'sv-1', 'quiero calificar la atención');
    const { id, folio } = await h.conversationOf('sv-1');
    const asked = await h.waitForBotTexts(id, 1);
    expect(asked[0]).toContain('Gracias por usar el asistente.');
    expect(asked[0]).toContain('del 1 (muy mala) al 5 (excelente)');
    expect((await conversation(id)).status).toBe('bot');
    expect(await currentOutcome(h.db, id)).toMatchObject({ outcome: 'resolved', weight_pct: 100 });

    await h.says('5510000008', 'sv-2', 'no sé');
    expect((await h.waitForBotTexts(id, 2))[1]).toBe('Por favor responda solo con un número del 1 al 5.');
    await h.says('5510000008', 'sv-3', 'un 2');
    await waitStatus(id, 'resolved');
    expect((await h.waitForBotTexts(id, 3))[2]).toContain('Gracias por su calificación');
    const response = await h.db.selectFrom('survey_responses').select(['rating', 'folio']).where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(response).toEqual({ rating: 2, folio });
    expect(await currentOutcome(h.db, id)).toMatchObject({ outcome: 'wrong', weight_pct: 0, reason: 'encuesta negativa' });
    const history = await h.db.selectFrom('bot_outcomes').select('outcome').where('conversation_id', '=', id).orderBy('decided_at').execute();
    expect(history.map((o) => o.outcome)).toEqual(['resolved', 'wrong']);
  });

  it('cuts off a session idle longer than the model allows (outcome cut_off, conversation abandoned)', async () => {
    await h.says('5510000009', 'idle-1', 'hola');
    const { id } = await h.conversationOf('idle-1');
    await h.waitForBotTexts(id, 1);
    // Ten minutes ago, with idleMinutes 5: the next sweep (every 200 ms here) ends it.
    await sql`UPDATE bot_sessions SET updated_at = now() - interval '10 minutes' WHERE conversation_id = ${id}`.execute(h.db);
    await sql`UPDATE conversations SET last_inbound_at = now() - interval '10 minutes' WHERE id = ${id}`.execute(h.db);
    const closed = await waitStatus(id, 'abandoned');
    expect(closed.closed_at).not.toBeNull();
    expect(await currentOutcome(h.db, id)).toMatchObject({ outcome: 'cut_off', weight_pct: 30, reason: 'bot_idle' });
  });

  it('keeps a session active for a citizen who wrote recently', async () => {
    await h.says('5510000010', 'act-1', 'hola');
    const { id } = await h.conversationOf('act-1');
    await h.waitForBotTexts(id, 1);
    await sql`UPDATE bot_sessions SET updated_at = now() - interval '2 minutes' WHERE conversation_id = ${id}`.execute(h.db);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await conversation(id)).status).toBe('bot');
    expect(await currentOutcome(h.db, id)).toBeUndefined();
  });

  it('cuts off when the citizen leaves', async () => {
    await h.says('5510000011', 'left-1', 'hola');
    const { id } = await h.conversationOf('left-1');
    await h.waitForBotTexts(id, 1);
    await h.leaves('5510000011', 'left-end-1');
    await waitStatus(id, 'abandoned');
    const outcome = await eventually(() => currentOutcome(h.db, id));
    expect(outcome).toMatchObject({ outcome: 'cut_off', weight_pct: 30, reason: 'contact_left' });
  });

  it('answers a replayed webhook once', async () => {
    await h.says('5510000012', 'dup-1', 'hola');
    const { id } = await h.conversationOf('dup-1');
    await h.waitForBotTexts(id, 1);
    await h.says('5510000012', 'dup-1', 'hola');
    await h.says('5510000012', 'dup-2', 'buenos días');
    await h.waitForBotTexts(id, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const turns = await h.db.selectFrom('bot_turns').select('message_id').where('conversation_id', '=', id).execute();
    expect(turns).toHaveLength(2);
    expect(h.botTexts(id)).toHaveLength(2);
  });
  it('copes with emoji-only and huge messages: a clear answer, the turn kept for the trainers', async () => {
    await h.says('5510000015', 'bad-1', '😀😀🙏');
    const { id } = await h.conversationOf('bad-1');
    expect((await h.waitForBotTexts(id, 1))[0]).toContain('no entendí');
    await h.says('5510000015', 'bad-2', 'necesito ayuda '.repeat(400));
    const texts = await h.waitForBotTexts(id, 2);
    expect(texts[1]!.length).toBeGreaterThan(0);
    const turns = await h.db.selectFrom('bot_turns').select(['answered_by', 'utterance']).where('conversation_id', '=', id).orderBy('created_at').execute();
    expect(turns.map((t) => t.answered_by)).toEqual(['fallback', expect.stringMatching(/fallback|handoff/)]);
    expect(turns[1]!.utterance.length).toBe(4000);
  });
  it('hands off with a clear note when the production model is broken (a flow with a dangling step)', async () => {
    const broken = await createCampaign(h.db);
    const queueId = await createQueue(h.db, broken.id, { isDefault: true });
    const channel = await createApiChannel(h.db, broken.id, { callbackUrl: 'http://citizen.invalid/cb' });
    await h.db.updateTable('channels').set({ settings: JSON.stringify({ callbackUrl: 'http://citizen.invalid/cb', bot: { enabled: true } }) }).where('id', '=', channel.channel.id).execute();
    const model = runtimeTestModel();
    // Written around the console's validation, as a hand edit of the table would be.
    const dangling = { ...model, flows: [{ id: 'registro', start: 'no_existe', steps: { pedir: { type: 'message', text: { es: 'Hola' } } } }] };
    await h.db.insertInto('bot_models').values({ campaign_id: broken.id, version: 1, status: 'production', model: JSON.stringify(dangling) }).execute();

    await h.post({ id: channel.channel.id, secret: channel.secret }, messageBody({ id: 'broken-1', phone: '5510000016', text: 'hola' }));
    const { id } = await h.conversationOf('broken-1');
    const row = await eventually(async () => {
      const c = await conversation(id);
      return c.status !== 'bot' && c.queue_id !== null ? c : undefined;
    });
    expect(row.queue_id).toBe(queueId);
    expect((await h.waitForBotTexts(id, 1))[0]).toBe('Le comunico con un asesor. En un momento le atienden.');
    const note = await h.db.selectFrom('conversation_notes').select(['author_type', 'text']).where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(note.author_type).toBe('bot');
    expect(note.text).toContain('no pudo continuar');
    expect(note.text).toContain('hola');
  });
  it('answers messages sent back to back once each, in the order they arrived', async () => {
    // Each stored before the next is posted: the ingest's parallel batches may store two
    // messages of one citizen in either order; what is tested here is that the bot, handed three
    // stored messages at once, answers them once each in their stored order.
    for (const [ref, text] of [
      ['seq-1', 'quiero registrar mi nss'],
      ['seq-2', `1234567890${(Number(nssCheckDigit('1234567890')) + 1) % 10}`],
      ['seq-3', 'quiero hablar con un agente'],
    ] as const) {
      await h.says('5510000017', ref, text);
      await h.conversationOf(ref);
    }
    const { id } = await h.conversationOf('seq-1');
    await eventually(async () => ((await conversation(id)).status !== 'bot' ? true : undefined));
    const turns = await h.db
      .selectFrom('bot_turns as t')
      .innerJoin('messages as m', 'm.id', 't.message_id')
      .select(['m.provider_message_id', 't.answered_by'])
      .where('t.conversation_id', '=', id)
      .orderBy('t.created_at')
      .execute();
    expect(turns.map((t) => t.provider_message_id)).toEqual(['seq-1', 'seq-2', 'seq-3']);
    expect(turns[2]!.answered_by).toBe('handoff');
    await h.waitForBotTexts(id, 3);
    // Stored order (the outbound worker sends in parallel, so the callback may see them in another order).
    const texts = (
      await h.db.selectFrom('messages').select('text').where('conversation_id', '=', id).where('sender_type', '=', 'bot').orderBy('created_at').execute()
    ).map((m) => m.text);
    expect(texts[0]).toBe('Escriba su NSS de 11 dígitos.');
    expect(texts[1]).toBe('Ese NSS no es válido; revise los 11 dígitos.');
    expect(texts[2]).toContain('Le comunico con un asesor');
  });
});
