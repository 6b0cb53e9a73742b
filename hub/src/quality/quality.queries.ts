import { sql, type Kysely } from 'kysely';
import { campaignScope, type Principal } from '../auth/principal.js';
import { findConversation } from '../conversations/conversation-queries.js';
import { toConversationSummary } from '../conversations/conversation-views.js';
import { loadTimeline } from '../conversations/conversation-timeline.js';
import type { Database } from '../db/schema.js';
import type { EvaluationAnswer } from '../db/schema-quality.js';
import { HubError } from '../errors/error-registry.js';
import type { SampleRef } from './quality-access.js';
import { toScorecardView } from './scorecards.usecase.js';

/** Campaigns the caller may work on in «Calidad» (an analyst cannot list campaigns otherwise). */
export async function qualityCampaigns(db: Kysely<Database>, principal: Principal) {
  const scope = campaignScope(principal);
  let query = db.selectFrom('campaigns').select(['id', 'name', 'time_zone']).orderBy('name');
  if (scope !== null) {
    if (scope.length === 0) return [];
    query = query.where('id', 'in', scope);
  }
  return (await query.execute()).map((c) => ({ id: c.id, name: c.name, timeZone: c.time_zone }));
}

/** Samples of a campaign with progress: evaluated x / N (N the contractual size), and the caller's share. */
export async function listSamples(db: Kysely<Database>, principal: Principal, campaignId: string, month?: string) {
  let query = db
    .selectFrom('quality_samples as s')
    .select(['s.id', 's.campaign_id', 's.channel_kind', 's.month', 's.sample_size', 's.population', 's.seed', 's.drawn_by', 's.drawn_at'])
    .select((eb) => [
      eb.selectFrom('quality_sample_items as i').select((e) => e.fn.countAll<string>().as('n')).whereRef('i.sample_id', '=', 's.id').as('drawn'),
      eb.selectFrom('quality_evaluations as e').select((e) => e.fn.countAll<string>().as('n')).whereRef('e.sample_id', '=', 's.id').as('evaluated'),
      eb.selectFrom('quality_sample_items as i').select((e) => e.fn.countAll<string>().as('n')).whereRef('i.sample_id', '=', 's.id').where('i.analyst_id', '=', principal.userId).as('assigned_to_me'),
      eb.selectFrom('quality_evaluations as e').select((e) => e.fn.coalesce(e.fn.sum<string>('e.score'), sql<string>`0`).as('n')).whereRef('e.sample_id', '=', 's.id').as('score_sum'),
    ])
    .where('s.campaign_id', '=', campaignId)
    .orderBy('s.month', 'desc')
    .orderBy('s.channel_kind');
  if (month) query = query.where('s.month', '=', month);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    channelKind: r.channel_kind,
    month: r.month,
    sampleSize: r.sample_size,
    population: r.population,
    seed: r.seed,
    drawnBy: r.drawn_by,
    drawnAt: r.drawn_at.toISOString(),
    drawn: Number(r.drawn ?? 0),
    evaluated: Number(r.evaluated ?? 0),
    assignedToMe: Number(r.assigned_to_me ?? 0),
    scoreSum: Number(r.score_sum ?? 0),
  }));
}

/** The sample's items in draw order, with analyst, agent and score. */
export async function sampleItems(db: Kysely<Database>, sampleId: string) {
  const rows = await db
    .selectFrom('quality_sample_items as i')
    .innerJoin('conversations as c', 'c.id', 'i.conversation_id')
    .leftJoin('kpi_contact_facts as f', 'f.conversation_id', 'i.conversation_id')
    .leftJoin('users as a', 'a.id', 'i.analyst_id')
    .leftJoin('quality_evaluations as e', (j) => j.onRef('e.sample_id', '=', 'i.sample_id').onRef('e.conversation_id', '=', 'i.conversation_id'))
    .leftJoin('users as ag', (j) => j.on((eb) => eb(eb.cast('ag.id', 'text'), '=', eb.ref('f.first_agent_id'))))
    .select(['i.conversation_id', 'i.position', 'i.analyst_id', 'a.display_name as analyst_name', 'c.folio', 'f.answered_at', 'f.first_agent_id', 'ag.display_name as agent_name', 'e.score', 'e.updated_at as evaluated_at'])
    .where('i.sample_id', '=', sampleId)
    .orderBy('i.position')
    .execute();
  return rows.map((r) => ({
    conversationId: r.conversation_id,
    position: r.position,
    folio: r.folio,
    answeredAt: r.answered_at ? r.answered_at.toISOString() : null,
    agentId: r.first_agent_id,
    agentName: r.agent_name,
    analystId: r.analyst_id,
    analystName: r.analyst_name,
    score: r.score === null ? null : Number(r.score),
    evaluatedAt: r.evaluated_at ? r.evaluated_at.toISOString() : null,
  }));
}

/**
 * One sampled interaction for the evaluation screen: the full timeline, the call recordings (played
 * through GET /voice/recordings/:sid), the evaluation if any, and the scorecard to use (the
 * evaluation's own, else the campaign's active one; null = none active yet).
 */
export async function sampledInteraction(db: Kysely<Database>, sample: SampleRef, conversationId: string) {
  const item = await db.selectFrom('quality_sample_items').selectAll().where('sample_id', '=', sample.id).where('conversation_id', '=', conversationId).executeTakeFirst();
  if (!item) throw new HubError('HUB_ERR_QUALITY_ITEM_NOT_FOUND');
  const conversation = await findConversation(db, { id: conversationId });
  if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  const [timeline, recordings, evaluation, fact] = await Promise.all([
    loadTimeline(db, conversation),
    db.selectFrom('voice_recordings').select(['recording_sid', 'duration', 'started_at']).where('conversation_id', '=', conversationId).orderBy('started_at').execute(),
    db.selectFrom('quality_evaluations').selectAll().where('sample_id', '=', sample.id).where('conversation_id', '=', conversationId).executeTakeFirst(),
    db.selectFrom('kpi_contact_facts').select(['answered_at', 'first_agent_id', 'talk_ms']).where('conversation_id', '=', conversationId).executeTakeFirst(),
  ]);
  const agentId = fact?.first_agent_id ?? null;
  const agent = agentId && /^[0-9a-f-]{36}$/i.test(agentId) ? await db.selectFrom('users').select('display_name').where('id', '=', agentId).executeTakeFirst() : undefined;
  const scorecard = evaluation
    ? await db.selectFrom('quality_scorecards').selectAll().where('id', '=', evaluation.scorecard_id).executeTakeFirst()
    : await db.selectFrom('quality_scorecards').selectAll().where('campaign_id', '=', sample.campaign_id).where('status', '=', 'active').executeTakeFirst();
  return {
    item: { position: item.position, analystId: item.analyst_id, answeredAt: fact?.answered_at ? fact.answered_at.toISOString() : null, agentId, agentName: agent?.display_name ?? null },
    conversation: toConversationSummary(conversation, { channelKind: conversation.channel_kind, contactName: conversation.contact_name }),
    timeline,
    recordings: recordings.map((r) => ({ recordingSid: r.recording_sid, durationSeconds: r.duration, startedAt: r.started_at.toISOString() })),
    evaluation: evaluation
      ? {
          id: evaluation.id,
          analystId: evaluation.analyst_id,
          score: Number(evaluation.score),
          answers: evaluation.answers satisfies Record<string, EvaluationAnswer>,
          comments: evaluation.comments,
          createdAt: evaluation.created_at.toISOString(),
          updatedAt: evaluation.updated_at.toISOString(),
        }
      : null,
    scorecard: scorecard ? toScorecardView(scorecard) : null,
  };
}

/** Per-agent quality figure: average score of the month's evaluations of interactions they handled. */
export async function agentAverages(db: Kysely<Database>, campaignId: string, month: string) {
  const rows = await db
    .selectFrom('quality_evaluations as e')
    .innerJoin('quality_samples as s', 's.id', 'e.sample_id')
    .leftJoin('users as u', 'u.id', 'e.agent_id')
    .select(['e.agent_id', 'u.display_name'])
    .select((eb) => [eb.fn.countAll<string>().as('evaluations'), eb.fn.sum<string>('e.score').as('score_sum')])
    .where('s.campaign_id', '=', campaignId)
    .where('s.month', '=', month)
    .groupBy(['e.agent_id', 'u.display_name'])
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => {
    const evaluations = Number(r.evaluations);
    const sum = Number(r.score_sum ?? 0);
    return { agentId: r.agent_id, displayName: r.display_name, evaluations, scoreSum: sum, averageScore: evaluations > 0 ? Math.round((sum / evaluations) * 100) / 100 : null };
  });
}

/** Rows of the sample's CSV: every drawn item with its answers. */
export async function exportSampleRows(db: Kysely<Database>, sampleId: string) {
  const items = await sampleItems(db, sampleId);
  const evaluations = await db
    .selectFrom('quality_evaluations as e')
    .innerJoin('quality_scorecards as sc', 'sc.id', 'e.scorecard_id')
    .select(['e.conversation_id', 'e.answers', 'e.comments', 'sc.name as scorecard_name', 'sc.version as scorecard_version'])
    .where('e.sample_id', '=', sampleId)
    .execute();
  const byConversation = new Map(evaluations.map((e) => [e.conversation_id, e]));
  return items.map((i) => {
    const e = byConversation.get(i.conversationId);
    return { ...i, answers: e?.answers ?? null, comments: e?.comments ?? null, scorecard: e ? `${e.scorecard_name} v${e.scorecard_version}` : null };
  });
}
export type ExportSampleRow = Awaited<ReturnType<typeof exportSampleRows>>[number];
