import type { KbArticle } from '../engine.contract.js';
import { tokenize } from './tokenize.js';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

interface IndexedArticle {
  article: KbArticle;
  termFrequency: Map<string, number>;
  length: number;
}

/**
 * Okapi BM25 over a campaign's articles (a few hundred at most, so an in-memory index built
 * once per model is enough). The title counts twice: a question usually names what the
 * article's title names.
 */
export class Bm25Index {
  private readonly docs: IndexedArticle[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(articles: readonly KbArticle[]) {
    this.docs = articles.map((article) => {
      const terms = [...tokenize(article.title), ...tokenize(article.title), ...tokenize(article.topic), ...tokenize(article.tags.join(' ')), ...tokenize(article.body)];
      const termFrequency = new Map<string, number>();
      for (const term of terms) termFrequency.set(term, (termFrequency.get(term) ?? 0) + 1);
      return { article, termFrequency, length: terms.length };
    });
    for (const doc of this.docs) {
      for (const term of doc.termFrequency.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
    }
    const total = this.docs.reduce((sum, doc) => sum + doc.length, 0);
    this.averageLength = this.docs.length > 0 ? total / this.docs.length : 0;
  }

  get size(): number {
    return this.docs.length;
  }

  /** Articles scoring above `minScore`, best first (ties: the article listed first). */
  search(query: string, k: number, minScore: number): { article: KbArticle; score: number }[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0 || this.docs.length === 0) return [];
    const scored = this.docs.map((doc, position) => ({ article: doc.article, score: this.score(doc, terms), position }));
    return scored
      .filter((s) => s.score > minScore)
      .sort((a, b) => b.score - a.score || a.position - b.position)
      .slice(0, k)
      .map(({ article, score }) => ({ article, score }));
  }

  private score(doc: IndexedArticle, terms: string[]): number {
    const n = this.docs.length;
    let score = 0;
    for (const term of terms) {
      const tf = doc.termFrequency.get(term) ?? 0;
      if (tf === 0) continue;
      const df = this.documentFrequency.get(term) ?? 0;
      // The "+1" form of the IDF keeps every matching term positive, even in a tiny KB.
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * doc.length) / (this.averageLength || 1));
      score += idf * ((tf * (BM25_K1 + 1)) / (tf + norm));
    }
    return score;
  }
}
