import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { parseStoredSurveySettings } from './survey-settings.schema.js';
import type { SurveyTier } from './served-agents.query.js';

/**
 * A campaign's survey results over a period. Satisfaction is seed-digest §6.2's KPI exactly:
 * yes ÷ (yes + no) × 100 over every yes/no answer given (target ≥ 85 %); unanswered questions
 * count on neither side. Percentages and averages are rounded half up to 2 decimals.
 */

export interface SurveyResultsRange {
  /** ISO date (the campaign's local midnight) or date-time with offset; inclusive. */
  from?: string | undefined;
  /** ISO date (that whole local day included) or date-time with offset; exclusive. */
  to?: string | undefined;
}

export interface SurveyResults {
  campaignId: string;
  responses: number;
  yes: number;
  no: number;
  satisfactionPercent: number | null;
  averageRating: number | null;
  byQuestion: { id: string; text: string | null; yes: number; no: number; percent: number | null }[];
  byAgent: { agentId: string; displayName: string; tier: SurveyTier; responses: number; averageRating: number | null }[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** part ÷ whole × 100 to 2 decimals, in integers so 85.125 cannot become 85.12 through binary floats. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 10_000) / whole) / 100;
}

function averageOf(sum: number, count: number): number | null {
  return count === 0 ? null : Math.round((sum * 100) / count) / 100;
}

function rangeFilter(range: SurveyResultsRange, timeZone: string): RawBuilder<boolean> {
  const conditions: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (range.from !== undefined) {
    const bound = DATE_ONLY.test(range.from) ? sql`(${range.from}::date)::timestamp AT TIME ZONE ${timeZone}` : sql`${range.from}::timestamptz`;
    conditions.push(sql<boolean>`r.created_at >= ${bound}`);
  }
  if (range.to !== undefined) {
    const bound = DATE_ONLY.test(range.to) ? sql`(${range.to}::date + 1)::timestamp AT TIME ZONE ${timeZone}` : sql`${range.to}::timestamptz`;
    conditions.push(sql<boolean>`r.created_at < ${bound}`);
  }
  return sql<boolean>`(${sql.join(conditions, sql` AND `)})`;
}

export async function surveyResults(db: Kysely<Database>, campaignId: string, range: SurveyResultsRange): Promise<SurveyResults> {
  const campaign = await db.selectFrom('campaigns').select(['settings', 'time_zone']).where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  const inRange = rangeFilter(range, campaign.time_zone);

  const totals = await sql<{ responses: string; yes: string; no: string; rated: string; rating_sum: string }>`
    SELECT count(*) AS responses, coalesce(sum(r.yes_count), 0) AS yes, coalesce(sum(r.no_count), 0) AS no,
           count(r.rating) AS rated, coalesce(sum(r.rating), 0) AS rating_sum
      FROM survey_responses r
     WHERE r.campaign_id = ${campaignId} AND ${inRange}`.execute(db);
  const questions = await sql<{ id: string; yes: string; no: string }>`
    SELECT q.key AS id, count(*) FILTER (WHERE q.value = 'true'::jsonb) AS yes, count(*) FILTER (WHERE q.value = 'false'::jsonb) AS no
      FROM survey_responses r CROSS JOIN LATERAL jsonb_each(r.answers) q
     WHERE r.campaign_id = ${campaignId} AND ${inRange}
     GROUP BY q.key`.execute(db);
  const agents = await sql<{ agent_id: string; display_name: string; tier: SurveyTier; responses: string; rating_sum: string }>`
    SELECT a.agent_id, u.display_name, a.tier, count(*) AS responses, sum(a.rating) AS rating_sum
      FROM survey_agent_ratings a
      JOIN survey_responses r ON r.id = a.response_id
      JOIN users u ON u.id = a.agent_id
     WHERE r.campaign_id = ${campaignId} AND ${inRange}
     GROUP BY a.agent_id, u.display_name, a.tier
     ORDER BY a.tier, u.display_name, a.agent_id`.execute(db);

  const total = totals.rows[0];
  const yes = Number(total?.yes ?? 0);
  const no = Number(total?.no ?? 0);
  const counted = new Map(questions.rows.map((q) => [q.id, { yes: Number(q.yes), no: Number(q.no) }]));
  const configured = parseStoredSurveySettings(campaign.settings).questions;
  // Configured questions in their order, then ids answered earlier but removed from the settings since.
  const listed: { id: string; text: string | null }[] = [
    ...configured.map((q) => ({ id: q.id, text: q.text })),
    ...[...counted.keys()].filter((id) => !configured.some((q) => q.id === id)).sort().map((id) => ({ id, text: null })),
  ];
  const byQuestion = listed.map((q) => {
    const c = counted.get(q.id) ?? { yes: 0, no: 0 };
    return { ...q, yes: c.yes, no: c.no, percent: percentOf(c.yes, c.yes + c.no) };
  });

  return {
    campaignId,
    responses: Number(total?.responses ?? 0),
    yes,
    no,
    satisfactionPercent: percentOf(yes, yes + no),
    averageRating: averageOf(Number(total?.rating_sum ?? 0), Number(total?.rated ?? 0)),
    byQuestion,
    byAgent: agents.rows.map((a) => ({
      agentId: a.agent_id,
      displayName: a.display_name,
      tier: a.tier,
      responses: Number(a.responses),
      averageRating: averageOf(Number(a.rating_sum), Number(a.responses)),
    })),
  };
}
