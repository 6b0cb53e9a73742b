import { describe, expect, it } from 'vitest';
import { Bm25Retriever } from './bm25-retriever.js';
import { bestPassage, MAX_PASSAGE_CHARS } from './best-passage.js';
import { kbArticles } from './kb-articles.fixture.js';

describe('Bm25Retriever', () => {
  it('is a LangChain retriever returning Documents best first with article metadata', async () => {
    const retriever = new Bm25Retriever({ articles: kbArticles });
    expect(retriever.lc_namespace).toEqual(['ventanilla', 'bots', 'kb']);
    const docs = await retriever.invoke('¿Cuánto cuesta una copia del acta de nacimiento?');
    expect(docs[0]?.metadata).toMatchObject({ articleId: 'kb-acta', title: 'Copia certificada de acta de nacimiento' });
    expect(docs[0]?.pageContent).toContain('copia certificada');
    const scores = docs.map((d) => d.metadata.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('matches across accents and plurals', async () => {
    const retriever = new Bm25Retriever({ articles: kbArticles, k: 1 });
    const [doc] = await retriever.invoke('requisitos para las pensiones de cesantia');
    expect(doc?.metadata.articleId).toBe('kb-pension');
  });

  it('weighs the title: a title word beats the same word once in another body', async () => {
    const articles = [
      { id: 'a', title: 'Horarios de atención', topic: 'general', tags: [], body: 'Abrimos de lunes a viernes. También hay licencias de conducir en otra oficina.' },
      { id: 'b', title: 'Licencias de conducir', topic: 'movilidad', tags: [], body: 'Tramite la licencia con identificación y comprobante.' },
    ];
    const docs = await new Bm25Retriever({ articles }).invoke('licencias');
    expect(docs.map((d) => d.metadata.articleId)).toEqual(['b', 'a']);
  });

  it('returns nothing below minScore, for stop words only, or an empty KB', async () => {
    expect(await new Bm25Retriever({ articles: kbArticles, minScore: 100 }).invoke('acta de nacimiento')).toEqual([]);
    expect(await new Bm25Retriever({ articles: kbArticles }).invoke('¿de la que por?')).toEqual([]);
    expect(await new Bm25Retriever({ articles: [] }).invoke('acta')).toEqual([]);
  });

  it('keeps top k', async () => {
    const docs = await new Bm25Retriever({ articles: kbArticles, k: 2 }).invoke('pago descuento acta pensión');
    expect(docs).toHaveLength(2);
  });
});

describe('bestPassage', () => {
  it('picks the paragraph that shares most terms with the question', () => {
    const article = kbArticles[0];
    expect(bestPassage(article?.body ?? '', 'mi acta tiene errores, ¿cómo la corrijo?')).toMatch(/^Si su acta tiene errores/);
    expect(bestPassage(article?.body ?? '', '¿cuánto cuesta la copia en línea?')).toMatch(/^Puede obtener una copia certificada/);
  });

  it('cuts a long paragraph at a sentence within 700 characters', () => {
    const body = Array.from({ length: 40 }, (_, i) => `Oración número ${i} sobre el trámite.`).join(' ');
    const passage = bestPassage(body, 'trámite');
    expect(passage.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(passage.endsWith('.')).toBe(true);
    expect(passage.startsWith('Oración número 0')).toBe(true);
  });

  it('cuts one endless sentence at a word boundary', () => {
    const passage = bestPassage('palabra '.repeat(200), 'palabra');
    expect(passage.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS);
    expect(passage.endsWith('palabra…')).toBe(true);
  });
});
