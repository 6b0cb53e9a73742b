import type { CallRecord, VoiceChannel, VoiceRouteModule, VoiceWebhookKit } from '@ventanilla/voice-bridge';
import { FINAL_CALL_STATUSES, VOICE_WEBHOOK_ROOT } from '@ventanilla/voice-bridge';
import { voiceChannelSettingsSchema } from '@ventanilla/connectors';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { CALL_EVENT_TYPES as T } from '../call-events.contract.js';
import { answerOf, parseStoredVoiceSurveySettings, type VoiceSurveySettings } from './voice-survey-settings.schema.js';
import { answeredElsewhere, storeVoiceSurvey } from './voice-survey.store.js';
import { goodbyeTwiml, questionTwiml, SURVEY_INVALID_KEY_TEXT, SURVEY_NOT_OFFERED_TEXT, surveySayAttributes } from './voice-survey.twiml.js';

/**
 * The post-call keypad survey (issue 8 item 8) as a route module of the voice webhooks:
 * - `survey/start` — the `<Dial action>` of the caller's agent conversation (agent and call-back
 *   legs point it here). When the channel has `survey` on, the caller is still on the line, an agent
 *   was connected on this call and the conversation's survey is not answered yet: the intro and the
 *   first question (`survey_started`). Otherwise a goodbye and `<Hangup/>`.
 * - `survey/answer?q=<i>&r=<0|1>` — one key per question: a valid key is `survey_answer` and is
 *   stored at once; an invalid key repeats the question once (r=1), then skips it; silence skips it.
 *   After the last question: `survey_completed` and the goodbye.
 */

const SURVEY_KINDS: ReadonlySet<string> = new Set(['inbound', 'callback']);
const answerQuery = z.object({ q: z.coerce.number().int().min(0).max(99), r: z.enum(['0', '1']).default('0') });
type Req = Parameters<VoiceWebhookKit['verify']>[0];

async function surveyOn(db: Kysely<Database>, channelId: string): Promise<boolean> {
  const row = await db.selectFrom('channels').select('settings').where('id', '=', channelId).executeTakeFirst();
  if (!row) return false;
  const parsed = voiceChannelSettingsSchema.safeParse(row.settings);
  return parsed.success && parsed.data.survey;
}

async function campaignSurvey(db: Kysely<Database>, campaignId: string): Promise<VoiceSurveySettings> {
  const row = await db.selectFrom('campaigns').select('settings').where('id', '=', campaignId).executeTakeFirst();
  return parseStoredVoiceSurveySettings(row?.settings ?? null);
}

function callAgents(call: CallRecord): { agentId: string; seatType: string }[] {
  return call.events.filter((e) => e.type === T.agent_connected).map((e) => ({ agentId: e.data['agentId'] ?? '', seatType: e.data['seatType'] ?? 'PS-I' }));
}

/** The answers given so far on this call (the last key for a question wins). */
function givenAnswers(call: CallRecord): Map<string, string> {
  const answers = new Map<string, string>();
  for (const e of call.events) if (e.type === T.survey_answer && e.data['question']) answers.set(e.data['question'], e.data['digits'] ?? '');
  return answers;
}

const live = (call: CallRecord, formStatus: string | undefined) => !FINAL_CALL_STATUSES.has(call.status) && !FINAL_CALL_STATUSES.has(formStatus ?? '');

export function voiceSurveyModule(ctx: { db: { kysely: Kysely<Database> } }): VoiceRouteModule {
  const db = ctx.db.kysely;
  return (app, kit) => {
    const say = (channel: VoiceChannel) => surveySayAttributes(channel.interpreter.tree);
    const answerUrl = (urls: { path(path: string): string }, q: number, retry: boolean) => urls.path(`survey/answer?q=${q}&r=${retry ? 1 : 0}`);

    app.post<{ Params: { channelId: string } }>(`${VOICE_WEBHOOK_ROOT}/:channelId/survey/start`, async (request: Req, reply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      const f = v.form.fields;
      const callSid = f['CallSid'] ?? '';
      if (!/^CA[0-9a-f]{32}$/.test(callSid)) return kit.badRequest(reply, 'CallSid is required');
      return kit.serialized(callSid, async () => {
        const call = await kit.ports.calls.get(callSid);
        if (!call || call.channelId !== v.channel.id) {
          kit.warn({ callSid, channelId: v.channel.id }, 'voice survey: start for an unknown call');
          return kit.sendTwiml(reply, kit.goodbye(v.channel));
        }
        const conversationId = call.conversationId ?? null;
        const offered =
          live(call, f['CallStatus']) &&
          SURVEY_KINDS.has(call.kind ?? 'inbound') &&
          conversationId !== null &&
          callAgents(call).length > 0 &&
          !call.events.some((e) => e.type === T.survey_started) &&
          (await surveyOn(db, v.channel.id)) &&
          !(await answeredElsewhere(db, conversationId, callSid));
        if (!offered) return kit.sendTwiml(reply, goodbyeTwiml(say(v.channel), SURVEY_NOT_OFFERED_TEXT));
        const settings = await campaignSurvey(db, v.channel.campaignId);
        const first = settings.questions[0];
        if (!first) return kit.sendTwiml(reply, goodbyeTwiml(say(v.channel), SURVEY_NOT_OFFERED_TEXT));
        kit.event(call, T.survey_started, { questions: String(settings.questions.length), dialCallStatus: f['DialCallStatus'] ?? '' });
        await kit.ports.calls.save(call);
        return kit.sendTwiml(reply, questionTwiml({ say: say(v.channel), question: first, answerUrl: answerUrl(v.urls, 0, false), before: settings.intro }));
      });
    });

    app.post<{ Params: { channelId: string } }>(`${VOICE_WEBHOOK_ROOT}/:channelId/survey/answer`, async (request: Req, reply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      const f = v.form.fields;
      const callSid = f['CallSid'] ?? '';
      const query = answerQuery.safeParse(request.query);
      if (!/^CA[0-9a-f]{32}$/.test(callSid) || !query.success) return kit.badRequest(reply, 'CallSid and a question number q are required');
      return kit.serialized(callSid, async () => {
        const call = await kit.ports.calls.get(callSid);
        const inSurvey = call?.events.some((e) => e.type === T.survey_started) === true && !call.events.some((e) => e.type === T.survey_completed);
        if (!call || call.channelId !== v.channel.id || !inSurvey || !live(call, f['CallStatus'])) {
          kit.warn({ callSid, channelId: v.channel.id }, 'voice survey: answer for an unknown call or a survey not in progress');
          return kit.sendTwiml(reply, kit.goodbye(v.channel));
        }
        const settings = await campaignSurvey(db, v.channel.campaignId);
        const { q, r } = query.data;
        const question = settings.questions[q];
        const digits = f['Digits'] ?? '';
        if (question && digits !== '' && answerOf(question, digits) === null && r === '0') {
          return kit.sendTwiml(reply, questionTwiml({ say: say(v.channel), question, answerUrl: answerUrl(v.urls, q, true), before: SURVEY_INVALID_KEY_TEXT }));
        }
        if (question && digits !== '' && answerOf(question, digits) !== null) kit.event(call, T.survey_answer, { question: question.id, digits });
        const next = settings.questions[q + 1];
        const answers = givenAnswers(call);
        // `answers`: what was keyed per question, as JSON (event data are strings).
        if (!next) kit.event(call, T.survey_completed, { answers: JSON.stringify(Object.fromEntries(answers)) });
        await kit.ports.calls.save(call);
        const conversationId = call.conversationId ?? null;
        if (conversationId !== null && (answers.size > 0 || !next)) {
          const stored = await storeVoiceSurvey(db, { conversationId, callSid, channelId: v.channel.id, questions: settings.questions, answers, callAgents: callAgents(call), complete: !next });
          if (stored === 'answered_elsewhere' || stored === 'no_conversation') kit.warn({ callSid, conversationId, stored }, 'voice survey: answers not stored');
        }
        if (!next) return kit.sendTwiml(reply, goodbyeTwiml(say(v.channel), settings.goodbye));
        return kit.sendTwiml(reply, questionTwiml({ say: say(v.channel), question: next, answerUrl: answerUrl(v.urls, q + 1, false) }));
      });
    });
  };
}
