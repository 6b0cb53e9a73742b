import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleWorld, smallModel, type ConsoleWorld } from './console-fixtures.js';

interface Detail {
  id: string;
  version: number;
  status: 'draft' | 'production' | 'archived';
  name: string;
  intents: number;
  phrases: number;
  note: string | null;
  training: { durationMs: number; accuracy: number; folds: number; perIntent: Record<string, { correct: number; total: number }>; trainedAt: string } | null;
  promotedAt: string | null;
  model: { name: string; intents: { name: string; phrases: { es: string[]; en: string[] } }[] };
}
interface ErrorBody {
  error: { code: string; message: string; details?: { problems?: { path: string; message: string }[] } };
}
interface TestBody {
  intent: string | null;
  score: number;
  guess: string | null;
  language: string;
  entities: { type: string; value: string; valid: boolean }[];
  issue?: string;
  reply: { answeredBy: string; texts: string[] };
}

/**
 * Issue 7 item 5: versions of a campaign's model through the console's API — a draft is edited
 * (the gate refuses a flow with a dangling step), trained (duration and cross-validated accuracy),
 * tried in the test box, promoted; a second version replaces it and rollback brings the first back.
 */
describe('intent console: versions', () => {
  let w: ConsoleWorld;
  const versions: Detail[] = [];

  beforeAll(async () => {
    w = await consoleWorld();
  });
  afterAll(async () => {
    await w?.cleanup();
  });

  const train = async (id: string) => {
    const res = await w.api('POST', `/models/${id}/train`, w.tokens.trainer);
    expect(res.status, res.body).toBe(200);
    return res.json<Detail>();
  };

  it('a campaign with no version starts from an empty model, version 1', async () => {
    const res = await w.api('POST', '/models', w.tokens.trainer, { note: 'primer borrador' });
    expect(res.status, res.body).toBe(201);
    const draft = res.json<Detail>();
    expect(draft).toMatchObject({ version: 1, status: 'draft', name: 'Modelo', intents: 0, phrases: 0, note: 'primer borrador', training: null, promotedAt: null });
    versions.push(draft);
  });

  it('an empty draft cannot be trained: the trainer is told to add intents', async () => {
    const res = await w.api('POST', `/models/${versions[0]!.id}/train`, w.tokens.trainer);
    expect(res.status, res.body).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_MODEL_INVALID');
  });

  it('an edit stores the model with the schema defaults; a flow with a dangling step is refused with the path', async () => {
    const ok = await w.api('PUT', `/models/${versions[0]!.id}`, w.tokens.trainer, { model: smallModel(), note: 'cuatro intenciones' });
    expect(ok.status, ok.body).toBe(200);
    const edited = ok.json<Detail>();
    expect(edited).toMatchObject({ version: 1, status: 'draft', name: 'Asistente IMSS', intents: 4, phrases: 32, note: 'cuatro intenciones' });
    expect(edited.model).toMatchObject({ threshold: 0.6, maxFallbacks: 2, languages: ['es', 'en'] });

    const broken = smallModel();
    broken.flows[0]!.steps['pedir-nss'].next = 'paso-que-no-existe';
    const bad = await w.api('PUT', `/models/${versions[0]!.id}`, w.tokens.trainer, { model: broken });
    expect(bad.status, bad.body).toBe(400);
    const error = bad.json<ErrorBody>().error;
    expect(error.code).toBe('HUB_ERR_BOT_MODEL_INVALID');
    expect(error.details?.problems?.some((p) => p.path.includes('pedir-nss') && p.path.endsWith('next'))).toBe(true);
    // The refused edit changed nothing.
    const kept = (await w.api('GET', `/models/${versions[0]!.id}`, w.tokens.supervisor)).json<Detail>();
    expect(kept.model.intents).toHaveLength(4);
  });

  it('training reports its duration and cross-validated accuracy; the test box classifies and answers', async () => {
    const untested = await w.api('POST', `/models/${versions[0]!.id}/test`, w.tokens.trainer, { utterance: 'hola' });
    expect(untested.status).toBe(409);
    expect(untested.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_NOT_TRAINED');

    const trained = await train(versions[0]!.id);
    expect(trained.training).not.toBeNull();
    expect(trained.training!.durationMs).toBeGreaterThan(0);
    expect(trained.training!.accuracy).toBeGreaterThan(0.5);
    expect(trained.training!.accuracy).toBeLessThanOrEqual(1);
    expect(trained.training!.folds).toBeGreaterThanOrEqual(2);
    expect(Object.keys(trained.training!.perIntent).sort()).toEqual(['alta_clinica', 'hablar_agente', 'saludo', 'semanas_cotizadas']);

    const res = await w.api('POST', `/models/${versions[0]!.id}/test`, w.tokens.trainer, { utterance: 'quiero saber cuántas semanas cotizadas tengo' });
    expect(res.status, res.body).toBe(200);
    const body = res.json<TestBody>();
    expect(body.intent).toBe('semanas_cotizadas');
    expect(body.score).toBeGreaterThanOrEqual(0.6);
    expect(body.language).toBe('es');
    // The intent's flow starts: the bot asks for the NSS.
    expect(['intent', 'flow']).toContain(body.reply.answeredBy);
    expect(body.reply.texts.join(' ')).toContain('Número de Seguridad Social');

    const nss = (await w.api('POST', `/models/${versions[0]!.id}/test`, w.tokens.trainer, { utterance: 'mi nss es 12345678901' })).json<TestBody>();
    expect(nss.entities.find((e) => e.type === 'nss')).toMatchObject({ value: '12345678901', valid: false });
    const goodNss = (await w.api('POST', `/models/${versions[0]!.id}/test`, w.tokens.trainer, { utterance: 'mi nss es 12345678903' })).json<TestBody>();
    expect(goodNss.entities.find((e) => e.type === 'nss')).toMatchObject({ value: '12345678903', valid: true });

    const empty = (await w.api('POST', `/models/${versions[0]!.id}/test`, w.tokens.trainer, { utterance: '   ' })).json<TestBody>();
    expect(empty).toMatchObject({ intent: null, issue: 'empty' });
    expect(empty.reply.texts.join(' ').length).toBeGreaterThan(0);
  });

  it('the test box copes with emoji-only, huge and mixed-language utterances, and answers from the knowledge base citing the article', async () => {
    const id = versions[0]!.id;
    const emoji = await w.api('POST', `/models/${id}/test`, w.tokens.trainer, { utterance: '🙂🙂👍' });
    expect(emoji.status, emoji.body).toBe(200);
    expect(emoji.json<TestBody>()).toMatchObject({ intent: null, issue: 'no_words' });
    expect(emoji.json<TestBody>().reply.texts.join(' ').length).toBeGreaterThan(0);

    const huge = await w.api('POST', `/models/${id}/test`, w.tokens.trainer, { utterance: 'semanas cotizadas '.repeat(300) });
    expect(huge.status, huge.body).toBe(200);
    expect(huge.json<TestBody>()).toMatchObject({ intent: null, issue: 'too_long' });

    const mixed = await w.api('POST', `/models/${id}/test`, w.tokens.trainer, { utterance: 'hello, quiero hablar con un agente please' });
    expect(mixed.status, mixed.body).toBe(200);
    expect(mixed.json<TestBody>().intent).toBe('hablar_agente');
    expect(mixed.json<TestBody>().reply.answeredBy).toBe('handoff');

    const article = await w.db
      .insertInto('kb_articles')
      .values({
        campaign_id: w.campaignId,
        title: 'Requisitos de la pensión por cesantía en edad avanzada',
        body: 'Para la pensión por cesantía en edad avanzada necesita tener 60 años cumplidos, estar dado de baja del régimen obligatorio y contar con las semanas de cotización que marca la ley. Presente identificación oficial, CURP y estado de cuenta bancario.',
        topic: 'pensiones',
        tags: ['pensión', 'cesantía'],
        published: true,
      })
      .returning(['id', 'title'])
      .executeTakeFirstOrThrow();
    const kb = await w.api('POST', `/models/${id}/test`, w.tokens.trainer, { utterance: 'requisitos pensión cesantía edad avanzada' });
    expect(kb.status, kb.body).toBe(200);
    const answer = kb.json<TestBody & { reply: { kbArticle?: { id: string; title: string } } }>();
    expect(answer.intent).toBeNull();
    expect(answer.reply.answeredBy).toBe('kb');
    expect(answer.reply.kbArticle).toEqual(article);
    expect(answer.reply.texts.join(' ')).toContain('60 años');
  });

  it('promotes the trained draft; a trained version cannot be edited any more', async () => {
    const res = await w.api('POST', `/models/${versions[0]!.id}/promote`, w.tokens.trainer);
    expect(res.status, res.body).toBe(200);
    expect(res.json<Detail>()).toMatchObject({ version: 1, status: 'production' });
    const edit = await w.api('PUT', `/models/${versions[0]!.id}`, w.tokens.trainer, { model: smallModel() });
    expect(edit.status).toBe(409);
    expect(edit.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_MODEL_NOT_DRAFT');
  });

  it('a new draft copies production; an untrained draft cannot be promoted; once trained it replaces production', async () => {
    const created = await w.api('POST', '/models', w.tokens.admin, {});
    expect(created.status, created.body).toBe(201);
    const v2 = created.json<Detail>();
    expect(v2).toMatchObject({ version: 2, status: 'draft', name: 'Asistente IMSS', intents: 4, training: null });

    const renamed = { ...smallModel('Asistente IMSS v2') };
    renamed.intents[0]!.phrases.es.push('holi');
    const edited = await w.api('PUT', `/models/${v2.id}`, w.tokens.trainer, { model: renamed });
    expect(edited.status, edited.body).toBe(200);

    const early = await w.api('POST', `/models/${v2.id}/promote`, w.tokens.trainer);
    expect(early.status).toBe(409);
    expect(early.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_NOT_TRAINED');

    await train(v2.id);
    const promoted = await w.api('POST', `/models/${v2.id}/promote`, w.tokens.trainer);
    expect(promoted.status, promoted.body).toBe(200);
    versions.push(promoted.json<Detail>());

    const list = (await w.api('GET', '/models', w.tokens.supervisor)).json<{ items: Detail[] }>().items;
    expect(list.map((m) => [m.version, m.status, m.phrases])).toEqual([
      [2, 'production', 33],
      [1, 'archived', 32],
    ]);
  });

  it('rollback brings the first version back to production, and the audit log has every change', async () => {
    const res = await w.api('POST', '/rollback', w.tokens.trainer);
    expect(res.status, res.body).toBe(200);
    expect(res.json<Detail>()).toMatchObject({ id: versions[0]!.id, version: 1, status: 'production' });
    const list = (await w.api('GET', '/models', w.tokens.trainer)).json<{ items: Detail[] }>().items;
    expect(list.map((m) => [m.version, m.status])).toEqual([
      [2, 'archived'],
      [1, 'production'],
    ]);
    const production = await w.db.selectFrom('bot_models').select('id').where('campaign_id', '=', w.campaignId).where('status', '=', 'production').execute();
    expect(production).toEqual([{ id: versions[0]!.id }]);

    const audit = await w.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'campaign_id']).where('action', 'like', 'bot_model.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'bot_model.created',
      'bot_model.updated',
      'bot_model.trained',
      'bot_model.promoted',
      'bot_model.created',
      'bot_model.updated',
      'bot_model.trained',
      'bot_model.promoted',
      'bot_model.rolled_back',
    ]);
    expect(audit.every((a) => a.campaign_id === w.campaignId && a.actor_user_id !== null)).toBe(true);
  });

  it('export then import gives a new draft with the same model', async () => {
    const exported = await w.api('GET', `/models/${versions[1]!.id}/export`, w.tokens.supervisor);
    expect(exported.status).toBe(200);
    expect(String(exported.headers['content-disposition'])).toMatch(/^attachment; filename="bot-model-v2\.json"$/);
    const model: unknown = JSON.parse(exported.body);
    const original = (await w.api('GET', `/models/${versions[1]!.id}`, w.tokens.trainer)).json<Detail>();
    expect(model).toEqual(original.model);

    const imported = await w.api('POST', '/import', w.tokens.trainer, { model, note: 'importado' });
    expect(imported.status, imported.body).toBe(201);
    const copy = imported.json<Detail>();
    expect(copy).toMatchObject({ version: 3, status: 'draft', note: 'importado', training: null });
    expect(copy.model).toEqual(original.model);
  });

  it('two trainings of the same draft at once: one trains, the other is told it is in training', async () => {
    const draft = (await w.api('GET', '/models', w.tokens.trainer)).json<{ items: Detail[] }>().items[0]!;
    expect(draft.status).toBe('draft');
    const [a, b] = await Promise.all([w.api('POST', `/models/${draft.id}/train`, w.tokens.trainer), w.api('POST', `/models/${draft.id}/train`, w.tokens.admin)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_TRAINING');
    const stored = (await w.api('GET', `/models/${draft.id}`, w.tokens.trainer)).json<Detail>();
    expect(stored.training?.accuracy).toBeGreaterThan(0.5);
  });

  it('training runs off the hub’s event loop: other requests are answered while a draft trains', async () => {
    const draft = (await w.api('POST', '/import', w.tokens.trainer, { model: smallModel('Otro') })).json<Detail>();
    const finished: string[] = [];
    const training = w.api('POST', `/models/${draft.id}/train`, w.tokens.trainer).then((res) => {
      finished.push('train');
      return res;
    });
    // Long enough for the training thread to start and be busy.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const list = await w.api('GET', '/models', w.tokens.supervisor);
    finished.push('list');
    expect(list.status).toBe(200);
    expect((await training).status).toBe(200);
    expect(finished).toEqual(['list', 'train']);
  });

  it('an edit made while the draft trains wins: the stale training is refused and the draft stays untrained', async () => {
    const draft = (await w.api('POST', '/import', w.tokens.trainer, { model: smallModel('Editado durante el entrenamiento') })).json<Detail>();
    const training = w.api('POST', `/models/${draft.id}/train`, w.tokens.trainer);
    // Time for the request to read the draft; the training thread itself takes seconds.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const edit = await w.api('PUT', `/models/${draft.id}`, w.tokens.admin, { model: smallModel('Cambiado') });
    expect(edit.status, edit.body).toBe(200);
    const trained = await training;
    expect(trained.status, trained.body).toBe(409);
    expect(trained.json<ErrorBody>().error.code).toBe('HUB_ERR_BOT_TRAINING');
    expect((await w.api('GET', `/models/${draft.id}`, w.tokens.trainer)).json<Detail>()).toMatchObject({ name: 'Cambiado', training: null });
  });

  it('a model bigger than 10 MB is refused with 413; a 2 MB one is accepted', async () => {
    const draft = (await w.api('GET', '/models', w.tokens.trainer)).json<{ items: Detail[] }>().items[0]!;
    const big = smallModel();
    // 300 intents × 20 phrases of ~300 characters: about 2 MB, well above the hub's default 1 MB body limit.
    big.intents = Array.from({ length: 300 }, (_, i) => ({
      name: `intencion_${i}`,
      phrases: { es: Array.from({ length: 20 }, (_, j) => `frase ${j} de la intención ${i} `.padEnd(300, 'x')), en: [] },
      answers: [{ es: `Respuesta ${i}` }],
    }));
    big.flows = [];
    const accepted = await w.api('PUT', `/models/${draft.id}`, w.tokens.trainer, { model: big });
    expect(accepted.status, accepted.body.slice(0, 300)).toBe(200);
    expect(accepted.json<Detail>()).toMatchObject({ intents: 300, phrases: 6000, training: null });

    const huge = { model: { name: 'Enorme', intents: [] }, note: 'x', padding: 'x'.repeat(11 * 1024 * 1024) };
    const refused = await w.api('PUT', `/models/${draft.id}`, w.tokens.trainer, huge);
    expect(refused.status).toBe(413);
    expect(refused.json<ErrorBody>().error.code).toBe('HUB_ERR_BODY_TOO_LARGE');
  });
});
