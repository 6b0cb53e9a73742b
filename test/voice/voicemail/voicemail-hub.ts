import { setCampaignRouting } from '../../support/router-factories.js';
import { parseTwimlTree, TwilioVoiceCloud, type SimulatedCall, type TwimlNode, type WebhookExchange } from '../../harness/twilio-voice/index.js';
import { createVoiceCampaign, type VoiceCampaign, type VoiceHub } from '../core/voice-hub-harness.js';


/** Closed all week, holidays too (the campaign's calendar). */
export const CLOSED_SCHEDULE = {
  timeZone: 'America/Mexico_City',
  days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  holidays: 'closed' as const,
};

export interface VoicemailCampaign extends VoiceCampaign {
  cloud: TwilioVoiceCloud;
}

/**
 * A voice campaign (core's harness: default and «citas» queues, the demo IVR in production)
 * whose channel's REST calls go to a TwilioVoiceCloud with the channel's own credentials, with
 * short call-back settings. `closed`: the campaign's calendar never opens.
 */
export async function createVoicemailCampaign(h: VoiceHub, options: { closed?: boolean; settings?: Record<string, unknown> } = {}): Promise<VoicemailCampaign> {
  const c = await createVoiceCampaign(h);
  const cloud = await new TwilioVoiceCloud({ accountSid: c.accountSid, authToken: c.authToken }).start();
  const settings = { accountSid: c.accountSid, callerId: '+528006232323', webhookBaseUrl: h.url, apiBaseUrl: cloud.url, callbackRetryMinutes: 1, callbackMaxAttempts: 2, ...options.settings };
  await h.db.updateTable('channels').set({ settings: JSON.stringify(settings) }).where('id', '=', c.channelId).execute();
  if (options.closed) await setCampaignRouting(h.db, c.campaignId, { schedule: CLOSED_SCHEDULE });
  return { ...c, cloud };
}

/** Twilio's request parameters of this call (what every voice webhook carries). */
export function callParams(call: SimulatedCall, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: call.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.callSid,
    CallStatus: 'in-progress',
    From: call.options.from,
    To: call.options.to,
    Direction: 'inbound',
    ...extra,
  };
}

/** Posts a webhook of this call to `path` under the channel (signed like Twilio). */
export function postCall(call: SimulatedCall, path: string, extra: Record<string, string> = {}): Promise<WebhookExchange> {
  return call.post(`${call.base}/${path}`, callParams(call, extra));
}

export function recordingFields(recordingSid: string, accountSid: string, seconds: number): Record<string, string> {
  return {
    RecordingSid: recordingSid,
    RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`,
    RecordingDuration: String(seconds),
  };
}

/** The answer's verbs with every attribute (the harness's own TwiML reader). */
export const nodesOf = (exchange: WebhookExchange): TwimlNode[] => parseTwimlTree(exchange.body);
export const saidIn = (nodes: TwimlNode[]): string => nodes.flatMap((n) => (n.name === 'Say' ? [n.text] : [])).join(' ');
export const namesOf = (nodes: TwimlNode[]): string[] => nodes.map((n) => n.name);
