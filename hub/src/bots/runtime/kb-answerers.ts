import type { Kysely } from 'kysely';
import { createKbAnswerer, type KbAnswerer, type KbLlmConfig } from '@ventanilla/bots';
import type { Config } from '../../config/config.js';
import type { Database } from '../../db/schema.js';

/** Articles edited in the inbox reach the bot within this long (no invalidation across processes). */
const KB_TTL_MS = 60_000;

/** The LLM the knowledge base may use, from the environment; null: the bot quotes the article (BOT_LLM_KIND none). */
export function kbLlmConfig(config: Pick<Config, 'BOT_LLM_KIND' | 'BOT_LLM_BASE_URL' | 'BOT_LLM_MODEL' | 'BOT_LLM_API_KEY'>): KbLlmConfig | null {
  if (config.BOT_LLM_KIND === 'none' || !config.BOT_LLM_BASE_URL || !config.BOT_LLM_MODEL) return null;
  return {
    kind: config.BOT_LLM_KIND,
    baseUrl: config.BOT_LLM_BASE_URL,
    model: config.BOT_LLM_MODEL,
    ...(config.BOT_LLM_API_KEY ? { apiKey: config.BOT_LLM_API_KEY } : {}),
  };
}

interface Cached {
  at: number;
  minScore: number;
  answerer: Promise<KbAnswerer>;
}

/** A retriever over each campaign's published articles, rebuilt after a short TTL (per process). */
export class KbAnswerers {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly llm: KbLlmConfig | null,
    private readonly now: () => number = Date.now,
  ) {}

  for(campaignId: string, minScore: number): Promise<KbAnswerer> {
    const hit = this.cache.get(campaignId);
    if (hit && hit.minScore === minScore && this.now() - hit.at < KB_TTL_MS) return hit.answerer;
    const answerer = this.build(campaignId, minScore);
    this.cache.set(campaignId, { at: this.now(), minScore, answerer });
    // A failed load is not kept: the next turn tries again.
    answerer.catch(() => this.cache.delete(campaignId));
    return answerer;
  }

  private async build(campaignId: string, minScore: number): Promise<KbAnswerer> {
    const rows = await this.db
      .selectFrom('kb_articles')
      .select(['id', 'title', 'body', 'topic', 'tags'])
      .where('campaign_id', '=', campaignId)
      .where('published', '=', true)
      .execute();
    return createKbAnswerer(rows, { llm: this.llm, minScore });
  }
}
