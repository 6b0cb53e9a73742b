import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { TwilioVoiceCloud, type SimulatedCall } from '../../harness/twilio-voice/index.js';
import { nssCheckDigit } from '../../../hub/src/contacts/official-ids.js';
import { createVoiceCampaign, waitFor, type VoiceCampaign, type VoiceHub } from '../core/voice-hub-harness.js';

export const NSS = `1234567890${nssCheckDigit('1234567890')}`;
export const LINE = '+528006232323';

export interface AgentVoiceSetup {
  c: VoiceCampaign;
  cloud: TwilioVoiceCloud;
  apiKeySid: string;
  twimlAppSid: string;
  apiKeySecret: string;
}

/**
 * A voice campaign whose channel talks REST to a TwilioVoiceCloud with the same credentials
 * (apiBaseUrl = the cloud), plus the softphone settings (API key, TwiML App) when asked.
 */
export async function agentVoiceSetup(h: VoiceHub, options: { softphone?: boolean; recording?: boolean } = {}): Promise<AgentVoiceSetup> {
  const c = await createVoiceCampaign(h);
  const cloud = await new TwilioVoiceCloud({ accountSid: c.accountSid, authToken: c.authToken }).start();
  const apiKeySid = `SK${randomBytes(16).toString('hex')}`;
  const twimlAppSid = `AP${randomBytes(16).toString('hex')}`;
  const apiKeySecret = randomBytes(16).toString('hex');
  const settings = {
    accountSid: c.accountSid,
    callerId: LINE,
    webhookBaseUrl: h.url,
    apiBaseUrl: cloud.url,
    recording: options.recording ?? true,
    ...(options.softphone ? { apiKeySid, twimlAppSid } : {}),
  };
  const secrets = { authToken: c.authToken, ...(options.softphone ? { apiKeySecret } : {}) };
  await h.db.updateTable('channels').set({ settings: JSON.stringify(settings), secrets: JSON.stringify(secrets) }).where('id', '=', c.channelId).execute();
  return { c, cloud, apiKeySid, twimlAppSid, apiKeySecret };
}

/** A caller through the demo IVR (appointments: NSS + birth date) into the «Citas» line, then handed to the cloud. */
export async function queuedCaller(h: VoiceHub, s: AgentVoiceSetup, from: string): Promise<{ caller: SimulatedCall; conversationId: string; folio: string }> {
  const caller = await s.c.dial(from);
  await caller.press('1');
  await caller.press(NSS);
  await caller.press('15031985');
  if (!caller.enqueued()) throw new Error(`the caller was not put in line: ${caller.heard().join(' | ')}`);
  // Adopted straight from its <Enqueue>: the cloud takes over the wait from there.
  s.cloud.inbound(caller);
  await s.cloud.settle();
  const row = await h.db.selectFrom('voice_calls').select('conversation_id').where('call_sid', '=', caller.callSid).executeTakeFirstOrThrow();
  const conversation = await h.db.selectFrom('conversations').select(['id', 'folio']).where('id', '=', row.conversation_id ?? '').executeTakeFirstOrThrow();
  return { caller, conversationId: conversation.id, folio: conversation.folio };
}

/** The agent goes available, gets the call's offer and accepts it. */
export async function takeCall(h: VoiceHub, agent: { id: string; token: string }, conversationId: string): Promise<void> {
  const available = await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' });
  if (available.status !== 200) throw new Error(`agent not available: ${JSON.stringify(available.body)}`);
  const offer = await waitFor('the offer', () =>
    h.db.selectFrom('offers').selectAll().where('agent_id', '=', agent.id).where('conversation_id', '=', conversationId).where('status', '=', 'pending').executeTakeFirst(),
  );
  const accepted = await h.api('POST', `/offers/${offer.id}/accept`, agent.token);
  if (accepted.status !== 200) throw new Error(`offer not accepted: ${JSON.stringify(accepted.body)}`);
}

export async function goAway(h: VoiceHub, agent: { token: string }): Promise<void> {
  await h.api('PUT', '/agents/me/state', agent.token, { state: 'offline' });
}

export async function citizenEvents(h: VoiceHub, callSid: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const { rows } = await sql<{ type: string; payload: Record<string, unknown> }>`
    SELECT type, payload FROM interaction_events WHERE type LIKE 'call.%' AND payload->>'callSid' = ${callSid} ORDER BY id`.execute(h.db);
  return rows;
}

export async function eventOf(h: VoiceHub, callSid: string, type: string, match: (payload: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return waitFor(`event ${type}`, async () => (await citizenEvents(h, callSid)).find((e) => e.type === `call.${type}` && match(e.payload))?.payload, 10_000);
}
