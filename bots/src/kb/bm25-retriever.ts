import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import type { KbArticle } from '../engine.contract.js';
import { Bm25Index } from './bm25-index.js';

export interface KbDocumentMetadata extends Record<string, unknown> {
  articleId: string;
  title: string;
  score: number;
}

export interface Bm25RetrieverInput extends BaseRetrieverInput {
  articles: readonly KbArticle[];
  /** How many articles to return (default 3). */
  k?: number;
  /** Only articles scoring above this (BM25 units; default 0). */
  minScore?: number;
}

/**
 * The knowledge base as a LangChain retriever, fully offline (BM25, no embeddings), so the
 * same retriever feeds the LLM chain when one is configured and answers alone when not.
 */
export class Bm25Retriever extends BaseRetriever<KbDocumentMetadata> {
  lc_namespace = ['ventanilla', 'bots', 'kb'];

  static override lc_name(): string {
    return 'Bm25Retriever';
  }

  readonly k: number;
  readonly minScore: number;
  private readonly index: Bm25Index;

  constructor(fields: Bm25RetrieverInput) {
    super(fields);
    this.index = new Bm25Index(fields.articles);
    this.k = fields.k ?? 3;
    this.minScore = fields.minScore ?? 0;
  }

  override async _getRelevantDocuments(query: string): Promise<Document<KbDocumentMetadata>[]> {
    return this.index.search(query, this.k, this.minScore).map(
      ({ article, score }) =>
        new Document<KbDocumentMetadata>({
          pageContent: article.body,
          metadata: { articleId: article.id, title: article.title, score },
          id: article.id,
        }),
    );
  }
}
