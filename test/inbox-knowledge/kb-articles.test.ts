import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboxWorld, type InboxWorld } from './inbox-fixtures.js';

interface Hit {
  id: string;
  title: string;
  topic: string;
  tags: string[];
  snippet: string;
  published: boolean;
  updatedAt: string;
}

const ARTICLES = [
  {
    title: '¿Cómo consulto mi vigencia de derechos?',
    topic: 'Afiliación',
    tags: ['vigencia', 'NSS'],
    body: 'Ingrese al portal del IMSS con su CURP y su Número de Seguridad Social. La constancia de vigencia llega a su correo electrónico.',
  },
  {
    title: 'Derechos y obligaciones de los patrones',
    topic: 'Patrones',
    tags: ['patrón'],
    body: 'Los patrones tienen derechos y obligaciones ante el Instituto: inscribir a sus trabajadores y pagar las cuotas. La vigencia del registro patronal depende del pago.',
  },
  {
    title: 'Pensión por cesantía en edad avanzada',
    topic: 'Pensiones',
    tags: ['pensión', 'semanas cotizadas'],
    body: 'La pensión por cesantía requiere 60 años de edad y las semanas cotizadas que marca la ley. Consulte primero sus semanas.',
  },
  {
    title: 'Guarderías para niñas y niños',
    topic: 'Prestaciones',
    tags: ['guardería'],
    body: 'El servicio de guardería atiende a hijas e hijos de madres trabajadoras y de padres viudos o divorciados con la custodia.',
  },
];

describe('knowledge-base articles API', () => {
  let w: InboxWorld;
  const ids: Record<string, string> = {};
  const search = async (token: string, query: string, campaignId?: string): Promise<Hit[]> => {
    const res = await w.api('GET', `/campaigns/${campaignId ?? w.campaignId}/kb-articles${query}`, token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Hit[];
  };
  const titles = async (token: string, query: string) => (await search(token, query)).map((h) => h.title);

  beforeAll(async () => {
    w = await createInboxWorld();
    for (const article of ARTICLES) {
      const res = await w.api('POST', `/campaigns/${w.campaignId}/kb-articles`, w.tokens.trainer, { ...article, published: true });
      expect(res.statusCode, res.body).toBe(201);
      ids[article.title] = res.json().id;
    }
  });
  afterAll(async () => {
    await w.hub.cleanup();
  });

  it('"vigencia derechos" finds the article titled "¿Cómo consulto mi vigencia de derechos?" first', async () => {
    const hits = await search(w.tokens.agent, '?q=vigencia%20derechos');
    expect(hits[0]).toEqual({
      id: ids[ARTICLES[0]!.title],
      title: '¿Cómo consulto mi vigencia de derechos?',
      topic: 'Afiliación',
      tags: ['vigencia', 'NSS'],
      snippet: expect.stringContaining('vigencia'),
      published: true,
      updatedAt: expect.any(String),
    });
    // The employers' article mentions both words in its body: found, ranked after.
    expect(hits.map((h) => h.title)).toEqual(['¿Cómo consulto mi vigencia de derechos?', 'Derechos y obligaciones de los patrones']);
  });

  it('ignores accents and case, and stems Spanish words', async () => {
    const expected = ['Pensión por cesantía en edad avanzada'];
    expect(await titles(w.tokens.agent, '?q=pension')).toEqual(expected);
    expect(await titles(w.tokens.agent, '?q=PENSIÓN')).toEqual(expected);
    expect(await titles(w.tokens.agent, '?q=pensiones%20cesantia')).toEqual(expected);
    expect(await titles(w.tokens.agent, '?q=ninos')).toEqual(['Guarderías para niñas y niños']);
    // «Consulte» in the pensions article shares the stem: found too, ranked after the title match.
    expect(await titles(w.tokens.agent, `?q=${encodeURIComponent('¿cómo CONSULTO?')}`)).toEqual(['¿Cómo consulto mi vigencia de derechos?', 'Pensión por cesantía en edad avanzada']);
  });

  it('finds a half-typed word, filters by topic, honours the limit and finds nothing for unrelated words', async () => {
    expect(await titles(w.tokens.agent, '?q=guarder')).toEqual(['Guarderías para niñas y niños']);
    expect(await titles(w.tokens.agent, '?q=vigencia&topic=patrones')).toEqual(['Derechos y obligaciones de los patrones']);
    expect(await titles(w.tokens.agent, `?topic=${encodeURIComponent('AFILIACION')}`)).toEqual(['¿Cómo consulto mi vigencia de derechos?']);
    expect(await search(w.tokens.agent, '?q=derechos&limit=1')).toHaveLength(1);
    expect(await search(w.tokens.agent, '?q=astronauta')).toEqual([]);
    // Only stop words: nothing to search for, nothing found (and no error).
    expect(await search(w.tokens.agent, '?q=de%20la')).toEqual([]);
    expect((await w.api('GET', `/campaigns/${w.campaignId}/kb-articles?limit=51`, w.tokens.agent)).statusCode).toBe(400);
  });

  it('snippets are plain text: around the match when searching, the article start otherwise', async () => {
    const [hit] = await search(w.tokens.agent, '?q=custodia');
    expect(hit!.snippet).toContain('custodia');
    expect(hit!.snippet).not.toMatch(/<b>/);
    const all = await search(w.tokens.agent, '');
    expect(all).toHaveLength(4);
    const guarderia = all.find((h) => h.title.startsWith('Guarderías'))!;
    expect(guarderia.snippet).toBe(ARTICLES[3]!.body);
    const long = await w.api('POST', `/campaigns/${w.campaignId}/kb-articles`, w.tokens.trainer, { title: 'Largo', topic: 'Otros', body: 'palabra '.repeat(100), published: true });
    const [longHit] = await search(w.tokens.agent, '?topic=Otros');
    expect(longHit!.snippet.length).toBeLessThanOrEqual(201);
    expect(longHit!.snippet.endsWith('…')).toBe(true);
    await w.api('DELETE', `/kb-articles/${long.json().id}`, w.tokens.trainer);
  });

  it('drafts are hidden from agents and auditors (list and by id) and shown to editors', async () => {
    const res = await w.api('POST', `/campaigns/${w.campaignId}/kb-articles`, w.tokens.supervisor, { title: 'Vigencia de derechos en diciembre (borrador)', body: 'Borrador sobre vigencia.' });
    expect(res.statusCode).toBe(201);
    const draft = res.json();
    expect(draft).toMatchObject({ published: false, topic: 'General', tags: [] });
    for (const token of [w.tokens.agent, w.tokens.auditor]) {
      expect((await search(w.tokens.agent, '?q=vigencia')).map((h) => h.id)).not.toContain(draft.id);
      expect((await search(token, '')).map((h) => h.id)).not.toContain(draft.id);
      const byId = await w.api('GET', `/kb-articles/${draft.id}`, token);
      expect(byId.statusCode).toBe(404);
      expect(byId.json().error.code).toBe('HUB_ERR_KB_ARTICLE_NOT_FOUND');
    }
    for (const token of [w.tokens.trainer, w.tokens.supervisor, w.tokens.admin]) {
      const hit = (await search(token, '?q=vigencia')).find((h) => h.id === draft.id);
      expect(hit).toMatchObject({ published: false });
      expect((await w.api('GET', `/kb-articles/${draft.id}`, token)).statusCode).toBe(200);
    }
    // Publishing makes it visible to agents.
    expect((await w.api('PUT', `/kb-articles/${draft.id}`, w.tokens.trainer, { published: true })).json()).toMatchObject({ published: true, title: draft.title });
    expect((await search(w.tokens.agent, '?q=diciembre')).map((h) => h.id)).toEqual([draft.id]);
    await w.api('DELETE', `/kb-articles/${draft.id}`, w.tokens.trainer);
  });

  it('returns the full article by id, to staff of its campaign only', async () => {
    const id = ids[ARTICLES[0]!.title]!;
    const res = await w.api('GET', `/kb-articles/${id}`, w.tokens.agent);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, campaignId: w.campaignId, title: ARTICLES[0]!.title, body: ARTICLES[0]!.body, topic: 'Afiliación', tags: ['vigencia', 'NSS'], published: true, updatedAt: expect.any(String) });
    expect((await w.api('GET', `/kb-articles/${id}`, w.tokens.outsiderAgent)).statusCode).toBe(403);
    expect((await w.api('GET', `/campaigns/${w.campaignId}/kb-articles`, w.tokens.outsiderAgent)).statusCode).toBe(403);
    expect((await w.api('GET', `/kb-articles/${randomUUID()}`, w.tokens.agent)).statusCode).toBe(404);
  });

  it('admins, supervisors and trainers of the campaign write; agents and auditors do not', async () => {
    const body = { title: 'Nuevo', body: 'Texto', topic: 'Otros' };
    for (const token of [w.tokens.agent, w.tokens.auditor]) {
      const res = await w.api('POST', `/campaigns/${w.campaignId}/kb-articles`, token, body);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    }
    expect((await w.api('POST', `/campaigns/${w.campaignId}/kb-articles`, w.tokens.outsiderTrainer, body)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    const id = ids[ARTICLES[2]!.title]!;
    expect((await w.api('PUT', `/kb-articles/${id}`, w.tokens.agent, { title: 'x' })).statusCode).toBe(403);
    expect((await w.api('PUT', `/kb-articles/${id}`, w.tokens.outsiderTrainer, { title: 'x' })).statusCode).toBe(403);
    expect((await w.api('DELETE', `/kb-articles/${id}`, w.tokens.auditor)).statusCode).toBe(403);
    expect((await w.api('DELETE', `/kb-articles/${id}`, w.tokens.outsiderTrainer)).statusCode).toBe(403);
  });

  it('validates bodies with bilingual messages naming the field', async () => {
    for (const [body, text] of [
      [{ title: '', body: 'x' }, 'title: el título es obligatorio'],
      [{ title: 'x' }, 'body: campo requerido / required field'],
      [{ title: 'x', body: 'y', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags: máximo 20 etiquetas'],
      [{ title: 'x', body: 'y', published: 'sí' }, 'published:'],
    ] as const) {
      const res = await w.api('POST', `/campaigns/${w.campaignId}/kb-articles`, w.tokens.trainer, body);
      expect(res.statusCode, text).toBe(400);
      expect(res.json().error.message).toContain(text);
    }
    expect((await w.api('PUT', `/kb-articles/${ids[ARTICLES[2]!.title]}`, w.tokens.trainer, {})).json().error.message).toContain('indique al menos un campo');
  });

  it('PUT changes only the fields given and the search follows; DELETE removes it (204); all audited', async () => {
    const id = ids[ARTICLES[2]!.title]!;
    const res = await w.api('PUT', `/kb-articles/${id}`, w.tokens.trainer, { title: 'Pensión por vejez y cesantía', tags: ['jubilación', 'Jubilación', 'retiro'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: 'Pensión por vejez y cesantía', tags: ['jubilación', 'retiro'], body: ARTICLES[2]!.body, topic: 'Pensiones', published: true });
    expect(await titles(w.tokens.agent, '?q=jubilacion')).toEqual(['Pensión por vejez y cesantía']);
    expect(await titles(w.tokens.agent, '?q=vejez')).toEqual(['Pensión por vejez y cesantía']);

    expect((await w.api('DELETE', `/kb-articles/${id}`, w.tokens.trainer)).statusCode).toBe(204);
    expect((await w.api('GET', `/kb-articles/${id}`, w.tokens.trainer)).statusCode).toBe(404);
    expect((await w.api('DELETE', `/kb-articles/${id}`, w.tokens.trainer)).statusCode).toBe(404);
    expect(await titles(w.tokens.agent, '?q=pension')).toEqual([]);
    expect(await w.auditOf(id)).toEqual(['kb_article.created', 'kb_article.updated', 'kb_article.deleted']);
  });
});
