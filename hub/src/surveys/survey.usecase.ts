import type { Kysely } from 'kysely';
import type { Conversation, Database } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { HubError } from '../errors/error-registry.js';
import { isUniqueViolation } from '../inbox/inbox-http.js';
import { bilingual, formatProblems, parseWith, type RoutingProblem } from '../router/config/routing-problem.js';
import type { SurveyAnswers, WidgetSurvey } from '../webchat/widget.contract.js';
import { surveyAnswersSchema, type ParsedSurveyAnswers } from './survey-answers.schema.js';
import { parseStoredSurveySettings, type SurveySettings } from './survey-settings.schema.js';
import { servedAgents, type ServedAgent } from './served-agents.query.js';
import { applySurveyVerdict } from '../bots/runtime/survey-verdict.js';

/**
 * The exit survey of one conversation (issue 5 item 4), answered once, against its folio
 * (seed-digest §8.1 "Linkage"). The widget routes call these two with the visitor's conversation.
 */

type SurveyConversation = Pick<Conversation, 'id' | 'folio' | 'campaign_id' | 'channel_id' | 'contact_id'>;

async function loadConversation(db: Kysely<Database>, conversationId: string): Promise<{ conversation: SurveyConversation; settings: SurveySettings }> {
  const row = await db
    .selectFrom('conversations as c')
    .innerJoin('campaigns as k', 'k.id', 'c.campaign_id')
    .select(['c.id', 'c.folio', 'c.campaign_id', 'c.channel_id', 'c.contact_id', 'k.settings'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  const { settings, ...conversation } = row;
  return { conversation, settings: parseStoredSurveySettings(settings) };
}

async function isAnswered(db: Kysely<Database>, conversationId: string): Promise<boolean> {
  return (await db.selectFrom('survey_responses').select('id').where('conversation_id', '=', conversationId).executeTakeFirst()) !== undefined;
}

/** What the widget shows; null when the campaign has the survey switched off. */
export async function surveyFor(db: Kysely<Database>, conversationId: string): Promise<WidgetSurvey | null> {
  const { conversation, settings } = await loadConversation(db, conversationId);
  if (!settings.enabled) return null;
  return {
    folio: conversation.folio,
    rating: settings.rating,
    comment: settings.comment,
    questions: settings.questions.map((q) => ({ id: q.id, text: q.text })),
    agents: settings.rateAgents ? await servedAgents(db, conversationId) : [],
    done: await isAnswered(db, conversationId),
  };
}

/** The static shape first, then what only this conversation's settings and agents can tell. */
function validateAnswers(input: unknown, settings: SurveySettings, agents: readonly ServedAgent[]): ParsedSurveyAnswers {
  const parsed = parseWith(surveyAnswersSchema, input);
  if (!parsed.ok) throw new HubError('HUB_ERR_VALIDATION', formatProblems(parsed.problems), { problems: parsed.problems });
  const answers = parsed.value;
  const problems: RoutingProblem[] = [];
  const problem = (path: string, es: string, en: string) => problems.push({ path, message: bilingual(es, en), severity: 'error' });
  if (answers.rating !== undefined && !settings.rating) problem('rating', 'esta encuesta no pide calificación general', 'this survey has no overall rating');
  if (answers.comment !== undefined && answers.comment !== '' && !settings.comment) problem('comment', 'esta encuesta no admite comentarios', 'this survey takes no comment');
  const questionIds = new Set(settings.questions.map((q) => q.id));
  for (const id of Object.keys(answers.answers)) {
    if (!questionIds.has(id)) problem(`answers.${id}`, `pregunta desconocida: ${id}`, `unknown question: ${id}`);
  }
  if (answers.agentRatings.length > 0 && !settings.rateAgents) problem('agentRatings', 'esta encuesta no califica agentes', 'this survey does not rate agents');
  answers.agentRatings.forEach((r, index) => {
    if (!agents.some((a) => a.agentId === r.agentId)) {
      problem(`agentRatings.${index}.agentId`, 'ese agente no atendió esta conversación', 'that agent did not serve this conversation');
    } else if (answers.agentRatings.findIndex((o) => o.agentId === r.agentId) < index) {
      problem(`agentRatings.${index}.agentId`, 'agente calificado dos veces', 'agent rated twice');
    }
  });
  const empty = answers.rating === undefined && !answers.comment && Object.keys(answers.answers).length === 0 && answers.agentRatings.length === 0;
  if (empty) problem('', 'la encuesta está vacía: responda al menos una pregunta', 'the survey is empty: answer at least one question');
  if (problems.length > 0) throw new HubError('HUB_ERR_VALIDATION', formatProblems(problems), { problems });
  return answers;
}

/**
 * Stores the answers once per conversation: the response, one rating per agent with the tier
 * they served at, and `survey.answered`, in one transaction. Unanswered questions count neither
 * yes nor no, so satisfaction (yes ÷ (yes + no), seed-digest §6.2) only weighs what was said.
 */
export async function recordSurvey(db: Kysely<Database>, conversationId: string, input: SurveyAnswers): Promise<void> {
  const { conversation, settings } = await loadConversation(db, conversationId);
  if (!settings.enabled) throw new HubError('HUB_ERR_SURVEY_DISABLED');
  if (await isAnswered(db, conversationId)) throw new HubError('HUB_ERR_SURVEY_ANSWERED');
  const agents = await servedAgents(db, conversationId);
  const answers = validateAnswers(input, settings, agents);
  const values = Object.values(answers.answers);
  const yes = values.filter((v) => v).length;
  const no = values.length - yes;
  const agentRatings = answers.agentRatings.map((r) => ({ agentId: r.agentId, tier: agents.find((a) => a.agentId === r.agentId)?.tier ?? 'PS-I', rating: r.rating }));
  await db
    .transaction()
    .execute(async (trx) => {
      const response = await trx
        .insertInto('survey_responses')
        .values({
          conversation_id: conversation.id,
          campaign_id: conversation.campaign_id,
          folio: conversation.folio,
          channel_id: conversation.channel_id,
          rating: answers.rating ?? null,
          comment: answers.comment ? answers.comment : null,
          answers: JSON.stringify(answers.answers),
          yes_count: yes,
          no_count: no,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (agentRatings.length > 0) {
        await trx
          .insertInto('survey_agent_ratings')
          .values(agentRatings.map((r) => ({ response_id: response.id, agent_id: r.agentId, tier: r.tier, rating: r.rating })))
          .execute();
      }
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'contact', actorId: conversation.contact_id }, [
        {
          type: 'survey.answered',
          conversationId: conversation.id,
          contactId: conversation.contact_id,
          payload: { responseId: response.id, rating: answers.rating ?? null, yes, no, agentRatings },
        },
      ]);
      // A bad rating of a conversation the bot resolved alone marks its answer wrong.
      await applySurveyVerdict(trx, conversation.id, answers.rating ?? null);
    })
    .catch((error: unknown) => {
      // Two submissions racing past the check above: the unique conversation_id decides.
      throw isUniqueViolation(error, 'survey_responses_conversation_id_key') ? new HubError('HUB_ERR_SURVEY_ANSWERED') : error;
    });
}
