import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { KbAnswer, KbAnswerer, KbArticle } from '../engine.contract.js';
import type { Language } from '../model.schema.js';
import { bestPassage, withCitation } from './best-passage.js';
import { Bm25Retriever } from './bm25-retriever.js';
import { groundedAnswer } from './grounded-answer.js';
import { createKbChatModel, DEFAULT_LLM_TIMEOUT_MS, type KbLlmConfig } from './kb-llm.js';

export interface KbAnswererOptions {
  llm?: KbLlmConfig | null;
  /** BM25 score an article must exceed to answer (the model's `kb.minScore`; default 1.5). */
  minScore?: number;
  /** Articles given to the LLM as context (default 3). */
  k?: number;
}

/** Questions longer than this are cut before retrieval (the engine already refuses > 1,000 chars). */
const MAX_QUESTION_CHARS = 1000;

/**
 * The campaign's knowledge base as the engine sees it. The retriever alone answers with the
 * best article's passage; with an LLM configured, the LLM writes the answer from the
 * retrieved articles — and any LLM failure or timeout quietly falls back to the passage, so
 * a citizen never waits on, or sees, a broken model.
 */
export function createKbAnswerer(articles: KbArticle[], options: KbAnswererOptions = {}): KbAnswerer {
  const retriever = new Bm25Retriever({ articles, k: options.k ?? 3, minScore: options.minScore ?? 1.5 });
  const llm = options.llm ?? null;
  const chatModel: BaseChatModel | null = llm ? createKbChatModel(llm) : null;
  const timeoutMs = llm?.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;

  return {
    async answer(question: string, language: Language): Promise<KbAnswer | null> {
      const q = question.slice(0, MAX_QUESTION_CHARS).trim();
      if (q === '') return null;
      const docs = await retriever.invoke(q);
      const top = docs[0];
      if (!top) return null;
      const { articleId, title, score } = top.metadata;
      const passageAnswer = (): KbAnswer | null => {
        const passage = bestPassage(top.pageContent, q);
        return passage === '' ? null : { articleId, title, score, text: withCitation(passage, title, language), source: 'retriever' };
      };
      if (!chatModel) return passageAnswer();
      try {
        const text = await withDeadline(groundedAnswer(chatModel, q, language, docs, AbortSignal.timeout(timeoutMs)), timeoutMs);
        return text === null ? null : { articleId, title, score, text: withCitation(text, title, language), source: 'llm' };
      } catch {
        return passageAnswer();
      }
    },
  };
}

/** The abort signal should stop the request; the deadline guarantees the citizen's wait even if a client ignores it. */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`LLM answer timed out after ${ms} ms`)), ms + 50);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
