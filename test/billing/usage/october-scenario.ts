import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../hub/src/db/schema.js';
import { agent, at, call, channel, conversation, event, recording, voiceFacts } from './usage-fixtures.js';

/**
 * One October 2026 of a campaign with every metered source (times are Mexico City wall time).
 * derive-interactions.test.ts hand-computes each fact from these rows; the comments here say
 * what each row is for.
 */
export interface OctoberScenario {
  readonly campaignId: string;
  readonly t1: string;
  readonly t2: string;
  readonly calls: { readonly recorded: string; readonly unrecorded: string; readonly noRecordingChannel: string; readonly ivrOnly: string; readonly blaster: string; readonly voicemailOut: string; readonly voicemailIn: string };
  readonly conv: Record<'v1' | 'v2' | 'v3' | 'e1' | 'e2' | 'e3' | 'w1' | 's1' | 'b1' | 'b2' | 'b3' | 'b4', { id: string; folio: string }>;
  readonly messages: Record<'m1' | 'm2' | 'm3' | 'm4' | 'm5' | 'r1' | 's1' | 's2', string>;
}

export async function seedOctober(db: Kysely<Database>, campaignId: string): Promise<OctoberScenario> {
  const t1 = await agent(db, 'PS-I');
  const t2 = await agent(db, 'PS-P');
  const voice = await channel(db, campaignId, 'voice'); // recording defaults to true
  const voiceNoRec = await channel(db, campaignId, 'voice', { recording: false });
  const email = await channel(db, campaignId, 'email');
  const webchat = await channel(db, campaignId, 'webchat');
  const sms = await channel(db, campaignId, 'sms');
  const conv = {
    v1: await conversation(db, campaignId, voice),
    v2: await conversation(db, campaignId, voice),
    v3: await conversation(db, campaignId, voiceNoRec),
    e1: await conversation(db, campaignId, email),
    e2: await conversation(db, campaignId, email),
    e3: await conversation(db, campaignId, email),
    w1: await conversation(db, campaignId, webchat),
    s1: await conversation(db, campaignId, sms),
    b1: await conversation(db, campaignId, webchat),
    b2: await conversation(db, campaignId, webchat),
    b3: await conversation(db, campaignId, webchat),
    b4: await conversation(db, campaignId, webchat),
  };

  // Call 1, recorded: IVR, queue, T1 talks (one hold), transfer to tier 2 at 10:08, T2 talks, exit survey.
  const recorded = await call(db, campaignId, voice, conv.v1.id);
  await voiceFacts(db, campaignId, recorded, conv.v1, [
    { concept: 'ivr_seconds', from: at('2026-10-15T10:00:00'), to: at('2026-10-15T10:01:30') },
    { concept: 'queue_seconds', from: at('2026-10-15T10:01:30'), to: at('2026-10-15T10:02:00') },
    { concept: 'talk_seconds', from: at('2026-10-15T10:02:00'), to: at('2026-10-15T10:10:00'), durationMs: 420_000, agentId: t1, seatType: 'PS-I' },
    { concept: 'hold_seconds', from: at('2026-10-15T10:04:00'), to: at('2026-10-15T10:05:00'), agentId: t1, seatType: 'PS-I' },
    { concept: 'talk_seconds', from: at('2026-10-15T10:10:00'), to: at('2026-10-15T10:20:00'), agentId: t2, seatType: 'PS-P' },
    { concept: 'survey_seconds', from: at('2026-10-15T10:20:00'), to: at('2026-10-15T10:21:00') },
  ]);
  await event(db, campaignId, { type: 'call.transferred', at: at('2026-10-15T10:08:00'), conversationId: conv.v1.id, payload: { callSid: recorded, agentId: t1, target: 'tier2', targetId: '' } });
  await recording(db, campaignId, voice, recorded, conv.v1);

  // Call 2, recording required but missing: IVR, T1, transfer to tier 2 at 11:03, T2.
  const unrecorded = await call(db, campaignId, voice, conv.v2.id);
  await voiceFacts(db, campaignId, unrecorded, conv.v2, [
    { concept: 'ivr_seconds', from: at('2026-10-15T11:00:00'), to: at('2026-10-15T11:00:45') },
    { concept: 'talk_seconds', from: at('2026-10-15T11:01:00'), to: at('2026-10-15T11:03:00'), agentId: t1, seatType: 'PS-I' },
    { concept: 'talk_seconds', from: at('2026-10-15T11:03:00'), to: at('2026-10-15T11:05:00'), agentId: t2, seatType: 'PS-P' },
  ]);
  await event(db, campaignId, { type: 'call.transferred', at: at('2026-10-15T11:03:00'), conversationId: conv.v2.id, payload: { callSid: unrecorded, agentId: t1, target: 'tier2', targetId: '' } });

  // Call 3 on a channel that does not record: no evidence needed.
  const noRecordingChannel = await call(db, campaignId, voiceNoRec, conv.v3.id);
  await voiceFacts(db, campaignId, noRecordingChannel, conv.v3, [{ concept: 'talk_seconds', from: at('2026-10-15T12:00:00'), to: at('2026-10-15T12:02:00'), agentId: t1, seatType: 'PS-I' }]);

  // Call 4: IVR only (nobody talked, nothing to record).
  const ivrOnly = await call(db, campaignId, voice, null);
  await voiceFacts(db, campaignId, ivrOnly, null, [{ concept: 'ivr_seconds', from: at('2026-10-15T13:00:00'), to: at('2026-10-15T13:00:20') }]);

  // Blaster message; voicemail outside and inside the service window.
  const blaster = await call(db, campaignId, voice, null, 'outbound');
  await voiceFacts(db, campaignId, blaster, null, [{ concept: 'blaster_message', from: at('2026-10-15T18:00:00'), to: at('2026-10-15T18:00:00'), detail: { blastId: 'b', recipientId: 'r' } }]);
  const voicemailOut = await call(db, campaignId, voice, null);
  await voiceFacts(db, campaignId, voicemailOut, null, [{ concept: 'voicemail', from: at('2026-10-15T19:00:00'), to: at('2026-10-15T19:00:30'), detail: { recordingSid: 'RE-out', outsideHours: true } }]);
  const voicemailIn = await call(db, campaignId, voice, null);
  await voiceFacts(db, campaignId, voicemailIn, null, [{ concept: 'voicemail', from: at('2026-10-15T12:30:00'), to: at('2026-10-15T12:30:30'), detail: { recordingSid: 'RE-in', outsideHours: false } }]);

  // Text/e-mail talk (kpi_agent_segments): E1 transferred to tier 2 at 09:20; a webchat span; a voice span (in voice_usage_facts already).
  await db
    .insertInto('kpi_agent_segments')
    .values([
      { conversation_id: conv.e1.id, seq: 0, campaign_id: campaignId, agent_id: t1, kind: 'talk', channel_class: 'email', started_at: at('2026-10-15T09:00:00'), ended_at: at('2026-10-15T09:30:00') },
      { conversation_id: conv.w1.id, seq: 0, campaign_id: campaignId, agent_id: t2, kind: 'talk', channel_class: 'text', started_at: at('2026-10-15T14:00:00'), ended_at: at('2026-10-15T14:05:30.500') },
      { conversation_id: conv.v1.id, seq: 0, campaign_id: campaignId, agent_id: t1, kind: 'talk', channel_class: 'voice', started_at: at('2026-10-15T10:02:00'), ended_at: at('2026-10-15T10:10:00') },
    ])
    .execute();
  await event(db, campaignId, { type: 'conversation.transferred', at: at('2026-10-15T09:20:00'), conversationId: conv.e1.id, payload: { kind: 'tier2', reason: 'especialista', fromAgentId: t1, toAgentId: null } });

  // E-mails: m1 (E1, tier 2), m2 (sent twice: one fact), m3 (failed), m4 (the acknowledgement, system), m5 (E3, misdirected).
  const messages = { m1: randomUUID(), m2: randomUUID(), m3: randomUUID(), m4: randomUUID(), m5: randomUUID(), r1: randomUUID(), s1: randomUUID(), s2: randomUUID() };
  const queued = (conversationId: string, messageId: string, local: string, actorType: 'agent' | 'system', actorId: string) =>
    event(db, campaignId, { type: 'message.queued', at: at(local), conversationId, messageId, actorType, actorId, payload: { contentType: 'text' } });
  const sent = (conversationId: string, messageId: string, local: string) =>
    event(db, campaignId, { type: 'message.sent', at: at(local), conversationId, messageId, actorId: 'outbound-worker', payload: { providerMessageId: `p-${messageId}`, attempt: 1 } });
  await queued(conv.e1.id, messages.m1, '2026-10-15T09:10:00', 'agent', t1);
  await sent(conv.e1.id, messages.m1, '2026-10-15T09:11:00');
  await queued(conv.e2.id, messages.m4, '2026-10-15T14:59:00', 'system', 'router');
  await sent(conv.e2.id, messages.m4, '2026-10-15T14:59:30');
  await queued(conv.e2.id, messages.m2, '2026-10-15T15:00:00', 'agent', t2);
  await sent(conv.e2.id, messages.m2, '2026-10-15T15:01:00');
  await sent(conv.e2.id, messages.m2, '2026-10-15T15:05:00');
  await queued(conv.e2.id, messages.m3, '2026-10-15T15:10:00', 'agent', t2);
  await sent(conv.e2.id, messages.m3, '2026-10-15T15:11:00');
  await event(db, campaignId, { type: 'message.failed', at: at('2026-10-15T15:20:00'), conversationId: conv.e2.id, messageId: messages.m3, actorType: 'provider', payload: { code: 'bounce', reason: 'rebotado', retryable: false, attempt: 1 } });
  await queued(conv.e3.id, messages.m5, '2026-10-15T16:00:00', 'agent', t1);
  await sent(conv.e3.id, messages.m5, '2026-10-15T16:01:00');
  await event(db, campaignId, { type: 'conversation.tipified', at: at('2026-10-15T16:10:00'), conversationId: conv.e3.id, actorType: 'agent', payload: { codeIds: [], codes: ['resuelto'], summary: null, agentId: t1 } });
  await event(db, campaignId, { type: 'conversation.tipified', at: at('2026-10-15T16:30:00'), conversationId: conv.e3.id, actorType: 'agent', payload: { codeIds: [], codes: ['mal_dirigido'], summary: null, agentId: t1 } });

  // SMS: one received, two sent (an agent's and a system one).
  await event(db, campaignId, { type: 'message.received', at: at('2026-10-15T17:00:00'), conversationId: conv.s1.id, messageId: messages.r1, actorType: 'provider', payload: { contentType: 'text' } });
  await queued(conv.s1.id, messages.s1, '2026-10-15T17:04:00', 'agent', t1);
  await sent(conv.s1.id, messages.s1, '2026-10-15T17:05:00');
  await queued(conv.s1.id, messages.s2, '2026-10-15T17:05:30', 'system', 'router');
  await sent(conv.s1.id, messages.s2, '2026-10-15T17:06:00');

  // Mass SMS: two delivered recipients, one failed; mass mail: one completed, one still sending.
  const mass = await db.insertInto('mass_sms').values({ campaign_id: campaignId, channel_id: sms, name: 'Aviso', body: 'Aviso', status: 'completed' }).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('mass_sms_recipients')
    .values([
      { mass_sms_id: mass.id, phone: '+525500000001', status: 'delivered', sent_at: at('2026-10-05T10:00:00'), delivered_at: at('2026-10-05T10:00:05') },
      { mass_sms_id: mass.id, phone: '+525500000002', status: 'delivered', sent_at: at('2026-10-05T10:00:00'), delivered_at: at('2026-10-05T10:00:07') },
      { mass_sms_id: mass.id, phone: '+525500000003', status: 'failed', sent_at: at('2026-10-05T10:00:00'), failed_at: at('2026-10-05T10:00:09') },
    ])
    .execute();
  await db
    .insertInto('mass_mailings')
    .values([
      { campaign_id: campaignId, channel_id: email, name: 'Boletín', subject: 'Boletín', body_text: 'x', status: 'completed', completed_at: at('2026-10-06T09:00:00') },
      { campaign_id: campaignId, channel_id: email, name: 'Otro', subject: 'Otro', body_text: 'x', status: 'sending' },
    ])
    .execute();

  // Bots: B1 resolved (100) then flagged wrong (0) the next day; B2 handed off (30); B3 cut off (30);
  // B4's interaction was in September (its October supersession stays September's).
  const outcome = (conversationId: string, local: string, p: { session: string; id: string; outcome: string; weightPct: number; supersedes: string | null }) =>
    event(db, campaignId, {
      type: 'bot.outcome',
      at: at(local),
      conversationId,
      actorType: 'bot',
      payload: { sessionId: p.session, outcomeId: p.id, outcome: p.outcome, weightPct: p.weightPct, intent: null, modelId: 'm', channelId: webchat, supersedesId: p.supersedes, reason: null },
    });
  await outcome(conv.b1.id, '2026-10-20T11:00:00', { session: 's-b1', id: 'o1', outcome: 'resolved', weightPct: 100, supersedes: null });
  await outcome(conv.b1.id, '2026-10-21T09:00:00', { session: 's-b1', id: 'o2', outcome: 'wrong', weightPct: 0, supersedes: 'o1' });
  await outcome(conv.b2.id, '2026-10-20T12:00:00', { session: 's-b2', id: 'o3', outcome: 'handed_off', weightPct: 30, supersedes: null });
  await outcome(conv.b3.id, '2026-10-20T13:00:00', { session: 's-b3', id: 'o4', outcome: 'cut_off', weightPct: 30, supersedes: null });
  await outcome(conv.b4.id, '2026-09-30T23:00:00', { session: 's-b4', id: 'o5', outcome: 'resolved', weightPct: 100, supersedes: null });
  await outcome(conv.b4.id, '2026-10-02T09:00:00', { session: 's-b4', id: 'o6', outcome: 'wrong', weightPct: 0, supersedes: 'o5' });

  return { campaignId, t1, t2, calls: { recorded, unrecorded, noRecordingChannel, ivrOnly, blaster, voicemailOut, voicemailIn }, conv, messages };
}
