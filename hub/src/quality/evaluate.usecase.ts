import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import { authorize, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { EvaluationAnswer } from '../db/schema-quality.js';
import { HubError } from '../errors/error-registry.js';
import { assertMayEvaluate, loadSample, QUALITY_EVALUATORS, QUALITY_MANAGERS } from './quality-access.js';
import { answerProblems, scoreEvaluation } from './score-evaluation.js';
import type { RequestMeta } from './scorecards.usecase.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EvaluationInput {
  answers: Record<string, EvaluationAnswer>;
  comments?: string | null | undefined;
}

export interface SavedEvaluation {
  id: string;
  score: number;
  criticalFailed: string[];
  revised: boolean;
  scorecardId: string;
  agentId: string | null;
}

/**
 * An analyst scores a sampled interaction (issue 9 item 8). The score is computed here, never
 * taken from the client. First evaluation: the campaign's active scorecard, and an unassigned
 * item becomes the analyst's. Revision: same analyst, same scorecard (the answers are its items);
 * allowed until the month's SLA evaluation is validated — audited with before and after.
 */
export async function saveEvaluation(db: Kysely<Database>, principal: Principal, sampleId: string, conversationId: string, input: EvaluationInput, meta: RequestMeta): Promise<SavedEvaluation> {
  const sample = await loadSample(db, principal, sampleId);
  authorize(principal, QUALITY_EVALUATORS, sample.campaign_id);
  return db.transaction().execute(async (trx) => {
    const item = await trx.selectFrom('quality_sample_items').selectAll().where('sample_id', '=', sampleId).where('conversation_id', '=', conversationId).forUpdate().executeTakeFirst();
    if (!item) throw new HubError('HUB_ERR_QUALITY_ITEM_NOT_FOUND');
    assertMayEvaluate(principal, item.analyst_id);
    const before = await trx.selectFrom('quality_evaluations').selectAll().where('sample_id', '=', sampleId).where('conversation_id', '=', conversationId).executeTakeFirst();
    if (before && before.analyst_id !== principal.userId) throw new HubError('HUB_ERR_QUALITY_NOT_ASSIGNED', 'Solo el analista que evaluó puede revisar la evaluación / only the analyst who scored it may revise the evaluation');
    const scorecard = before
      ? await trx.selectFrom('quality_scorecards').selectAll().where('id', '=', before.scorecard_id).executeTakeFirstOrThrow()
      : await trx.selectFrom('quality_scorecards').selectAll().where('campaign_id', '=', sample.campaign_id).where('status', '=', 'active').executeTakeFirst();
    if (!scorecard) throw new HubError('HUB_ERR_QUALITY_NO_SCORECARD');
    const problems = answerProblems(scorecard.items, input.answers);
    if (problems.length > 0) {
      const text = problems.map((p) => (p.kind === 'missing' ? `falta «${p.itemId}» / missing "${p.itemId}"` : `«${p.itemId}» no es de la guía / "${p.itemId}" is not in the scorecard`)).join('; ');
      throw new HubError('HUB_ERR_QUALITY_ANSWERS_INVALID', `Responda cada punto de la guía, y solo esos / answer every item of the scorecard, and only those — ${text}`, problems);
    }
    const scored = scoreEvaluation(scorecard.items, input.answers);
    const answers = Object.fromEntries(scorecard.items.map((i) => [i.id, { met: input.answers[i.id]?.met === true, ...(input.answers[i.id]?.comment ? { comment: input.answers[i.id]?.comment } : {}) }]));
    const fact = await trx.selectFrom('kpi_contact_facts').select('first_agent_id').where('conversation_id', '=', conversationId).executeTakeFirst();
    const agentCandidate = fact?.first_agent_id && UUID.test(fact.first_agent_id) ? fact.first_agent_id : null;
    const agent = agentCandidate ? await trx.selectFrom('users').select('id').where('id', '=', agentCandidate).executeTakeFirst() : undefined;
    const agentId = agent?.id ?? null;
    const comments = input.comments?.trim() ? input.comments.trim() : null;
    const now = new Date();
    const saved = before
      ? await trx.updateTable('quality_evaluations').set({ answers: JSON.stringify(answers), score: scored.score, comments, updated_at: now }).where('id', '=', before.id).returning('id').executeTakeFirstOrThrow()
      : await trx
          .insertInto('quality_evaluations')
          .values({ sample_id: sampleId, conversation_id: conversationId, scorecard_id: scorecard.id, analyst_id: principal.userId, agent_id: agentId, answers: JSON.stringify(answers), score: scored.score, comments })
          .returning('id')
          .executeTakeFirstOrThrow();
    if (item.analyst_id === null) {
      await trx.updateTable('quality_sample_items').set({ analyst_id: principal.userId, assigned_at: now }).where('sample_id', '=', sampleId).where('conversation_id', '=', conversationId).execute();
    }
    await recordAudit(trx, {
      action: before ? 'quality_evaluation.revised' : 'quality_evaluation.saved',
      actorUserId: principal.userId,
      ...meta,
      campaignId: sample.campaign_id,
      targetType: 'quality_evaluation',
      targetId: saved.id,
      details: {
        sampleId,
        conversationId,
        month: sample.month,
        channelKind: sample.channel_kind,
        scorecardId: scorecard.id,
        score: scored.score,
        criticalFailed: scored.criticalFailed,
        ...(before ? { before: { score: Number(before.score), answers: before.answers, comments: before.comments } } : {}),
      },
    });
    return { id: saved.id, score: scored.score, criticalFailed: [...scored.criticalFailed], revised: before !== undefined, scorecardId: scorecard.id, agentId };
  });
}

/** A manager hands an item to another analyst of the campaign (or back to the pool); not once evaluated. */
export async function reassignItem(db: Kysely<Database>, principal: Principal, sampleId: string, conversationId: string, analystId: string | null, meta: RequestMeta): Promise<{ analystId: string | null }> {
  const sample = await loadSample(db, principal, sampleId, QUALITY_MANAGERS);
  if (analystId !== null) {
    const analyst = await db
      .selectFrom('users as u')
      .innerJoin('user_campaigns as uc', 'uc.user_id', 'u.id')
      .select(['u.id', 'u.roles', 'u.disabled'])
      .where('u.id', '=', analystId)
      .where('uc.campaign_id', '=', sample.campaign_id)
      .executeTakeFirst();
    if (!analyst || analyst.disabled || !analyst.roles.includes('quality_analyst')) {
      throw new HubError('HUB_ERR_VALIDATION', 'El usuario no es analista de calidad activo de esta campaña / the user is not an active quality analyst of this campaign');
    }
  }
  return db.transaction().execute(async (trx) => {
    const item = await trx.selectFrom('quality_sample_items').selectAll().where('sample_id', '=', sampleId).where('conversation_id', '=', conversationId).forUpdate().executeTakeFirst();
    if (!item) throw new HubError('HUB_ERR_QUALITY_ITEM_NOT_FOUND');
    const evaluated = await trx.selectFrom('quality_evaluations').select('id').where('sample_id', '=', sampleId).where('conversation_id', '=', conversationId).executeTakeFirst();
    if (evaluated) throw new HubError('HUB_ERR_CONFLICT', 'La interacción ya fue evaluada; no se reasigna / the interaction is already scored and cannot be reassigned');
    await trx.updateTable('quality_sample_items').set({ analyst_id: analystId, assigned_at: analystId ? new Date() : null }).where('sample_id', '=', sampleId).where('conversation_id', '=', conversationId).execute();
    await recordAudit(trx, { action: 'quality_item.assigned', actorUserId: principal.userId, ...meta, campaignId: sample.campaign_id, targetType: 'quality_sample_item', targetId: `${sampleId}:${conversationId}`, details: { from: item.analyst_id, to: analystId, position: item.position } });
    return { analystId };
  });
}
