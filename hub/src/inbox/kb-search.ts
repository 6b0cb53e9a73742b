import { sql } from 'kysely';
import { containsPattern, type Db } from './inbox-http.js';

/**
 * Knowledge-base search (seed-digest §4.4: "search by topic, keyword or query type"), for the agent
 * desktop now and the bots later. PostgreSQL full text with the 'spanish' configuration over
 * accent-folded text (kb_fold, migration 0005), so "vigencia derechos" finds
 * "¿Cómo consulto mi vigencia de derechos?" and "pension" finds "pensión".
 *
 * Matching is lenient — any query word, as a prefix, so a half-typed word already finds — and the
 * ranking strict: ts_rank, plus one point when every word matches, one when the title alone
 * matches them all, and one when the title contains the query as typed.
 */

export interface KbSearchQuery {
  campaignId: string;
  q?: string | undefined;
  topic?: string | undefined;
  limit: number;
  /** Drafts too (editors); otherwise only published articles. */
  includeDrafts: boolean;
}

export interface KbSearchHit {
  id: string;
  title: string;
  topic: string;
  tags: string[];
  published: boolean;
  snippet: string;
  updatedAt: string;
}

const SNIPPET_CHARS = 200;

/** The body's first ~200 characters, cut at a word. */
export function leadSnippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET_CHARS) return flat;
  const cut = flat.slice(0, SNIPPET_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > SNIPPET_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, '')}…`;
}

interface Row {
  id: string;
  title: string;
  topic: string;
  tags: string[];
  published: boolean;
  body: string;
  headline: string | null;
  updated_at: Date;
}

export async function searchKbArticles(db: Db, query: KbSearchQuery): Promise<KbSearchHit[]> {
  const q = query.q?.trim() ?? '';
  const visible = query.includeDrafts ? sql<boolean>`true` : sql<boolean>`a.published`;
  const topic = query.topic?.trim() ? sql<boolean>`kb_fold(a.topic) = kb_fold(${query.topic.trim()})` : sql<boolean>`true`;
  let rows: Row[];
  if (q === '') {
    ({ rows } = await sql<Row>`
      SELECT a.id, a.title, a.topic, a.tags, a.published, a.body, NULL AS headline, a.updated_at
      FROM kb_articles a
      WHERE a.campaign_id = ${query.campaignId} AND ${visible} AND ${topic}
      ORDER BY a.topic, a.title
      LIMIT ${query.limit}`.execute(db));
  } else {
    // q_all: every word (websearch syntax: "frase", -excluir, or); q_any: at least one word, as a prefix.
    // Empty queries (only stop words) become NULL so no "@@" sees an empty tsquery.
    ({ rows } = await sql<Row>`
      WITH query AS (
        SELECT
          (SELECT CASE WHEN numnode(w) = 0 THEN NULL ELSE w END FROM websearch_to_tsquery('spanish', kb_fold(${q})) AS w) AS q_all,
          (SELECT string_agg('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || ''':*', ' | ')::tsquery
             FROM unnest(tsvector_to_array(to_tsvector('spanish', kb_fold(${q})))) AS l) AS q_any,
          kb_fold(${containsPattern(q)}) AS pattern
      )
      SELECT a.id, a.title, a.topic, a.tags, a.published, a.body, a.updated_at,
        CASE WHEN query.q_any IS NULL THEN NULL
             ELSE ts_headline('spanish', a.body, query.q_any, 'MaxFragments=1, MaxWords=30, MinWords=12, ShortWord=2, StartSel="", StopSel=""') END AS headline
      FROM kb_articles a, query
      WHERE a.campaign_id = ${query.campaignId} AND ${visible} AND ${topic}
        AND (a.search @@ query.q_any OR kb_fold(a.title) LIKE query.pattern)
      ORDER BY
        coalesce(ts_rank(a.search, query.q_any), 0)
          + CASE WHEN a.search @@ query.q_all THEN 1 ELSE 0 END
          + CASE WHEN to_tsvector('spanish', kb_fold(a.title)) @@ query.q_all THEN 1 ELSE 0 END
          + CASE WHEN kb_fold(a.title) LIKE query.pattern THEN 1 ELSE 0 END DESC,
        a.updated_at DESC
      LIMIT ${query.limit}`.execute(db));
  }
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    topic: r.topic,
    tags: r.tags,
    published: r.published,
    snippet: r.headline?.trim() ? r.headline.replace(/\s+/g, ' ').trim() : leadSnippet(r.body),
    updatedAt: r.updated_at.toISOString(),
  }));
}
