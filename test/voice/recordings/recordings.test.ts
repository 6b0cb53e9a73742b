import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { tokenFor } from '../../support/auth.js';
import { createVoiceAgent, createVoiceCampaign, startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, eventOf, queuedCaller, takeCall, type AgentVoiceSetup } from '../agent/agent-hub.js';

function headerLines(headers: Headers): string {
  const lines: string[] = [];
  headers.forEach((value, key) => lines.push(`${key}: ${value}`));
  return lines.join('\n');
}

interface Played {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
}

/**
 * Recordings the staff can play (issue 8 items 4–5): the hub fetches the media from Twilio (the
 * TwilioVoiceCloud, which serves it only with the account's basic auth) and streams it to the
 * agents who served the conversation and the campaign's supervisors / auditors, never the token.
 */
describe('GET /api/v1/voice/recordings/:recordingSid', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let ana: { id: string; token: string };
  let beto: { id: string; token: string };
  let carla: { id: string; token: string };
  let outsider: { id: string; token: string };
  let supervisor: { id: string; token: string };
  let auditor: { id: string; token: string };
  let trainer: { id: string; token: string };
  let trap: Server;
  const trapHits: string[] = [];

  beforeAll(async () => {
    h = await startVoiceHub();
    s = await agentVoiceSetup(h);
    const skills = { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 };
    ana = await createVoiceAgent(h, s.c.campaignId, skills);
    beto = await createVoiceAgent(h, s.c.campaignId, skills);
    carla = await createVoiceAgent(h, s.c.campaignId, skills);
    supervisor = await createVoiceAgent(h, s.c.campaignId, {}, ['supervisor']);
    const other = await createVoiceCampaign(h);
    outsider = await createVoiceAgent(h, other.campaignId, { [other.skills.general]: 1 });
    const staff = async (roles: ('auditor' | 'trainer')[]) => {
      const user = await createUser(h.db, { roles, campaignIds: [s.c.campaignId] });
      return { id: user.id, token: await tokenFor(h.db, user.id) };
    };
    auditor = await staff(['auditor']);
    trainer = await staff(['trainer']);
    trap = createServer((req, res) => {
      trapHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'audio/mpeg' }).end('not the recording');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  }, 60_000);
  afterAll(async () => {
    trap?.close();
    await s?.cloud.close();
    await h?.cleanup();
  });

  async function play(recordingSid: string, token: string, query = ''): Promise<Played> {
    const res = await fetch(`${h.url}/api/v1/voice/recordings/${recordingSid}${query}`, { headers: bearer(token) });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, text: bytes.toString('latin1') };
  }

  /** The media as Twilio (the cloud) serves it to whoever has the account's credentials. */
  async function twilioMedia(recordingSid: string): Promise<Buffer> {
    const res = await fetch(`${s.cloud.url}/2010-04-01/Accounts/${s.c.accountSid}/Recordings/${recordingSid}.mp3`, {
      headers: { authorization: `Basic ${Buffer.from(`${s.c.accountSid}:${s.c.authToken}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  function leaksNothing(played: Played): void {
    const basic = Buffer.from(`${s.c.accountSid}:${s.c.authToken}`).toString('base64');
    const everything = `${played.text}\n${headerLines(played.headers)}`;
    expect(everything).not.toContain(s.c.authToken);
    expect(everything).not.toContain(basic);
    expect(everything).not.toContain(s.cloud.url);
  }

  const audits = (recordingSid: string) =>
    h.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'campaign_id', 'details']).where('target_type', '=', 'voice_recording').where('target_id', '=', recordingSid).orderBy('id').execute();

  let callRecordingSid = '';
  let folio = '';

  it('a recorded call: the agent who served it gets Twilio’s bytes (inline, no-store); the hub asked Twilio with basic auth; audited', async () => {
    let conversationId: string;
    let caller;
    ({ caller, conversationId, folio } = await queuedCaller(h, s, '+525511120001'));
    await takeCall(h, ana, conversationId);
    const started = await eventOf(h, caller.callSid, 'recording_started');
    callRecordingSid = String(started['recordingSid']);
    expect((await h.api('POST', `/voice/calls/${conversationId}/hangup`, ana.token)).status).toBe(200);
    await s.cloud.hangUp(caller.callSid).catch(() => undefined);
    await eventOf(h, caller.callSid, 'recording_ready');
    const row = await h.db.selectFrom('voice_recordings').selectAll().where('recording_sid', '=', callRecordingSid).executeTakeFirstOrThrow();
    expect(row.url).toBe(`${s.cloud.url}/2010-04-01/Accounts/${s.c.accountSid}/Recordings/${callRecordingSid}`);

    const played = await play(callRecordingSid, ana.token);
    expect(played.status).toBe(200);
    const media = await twilioMedia(callRecordingSid);
    expect(media.length).toBeGreaterThan(0);
    expect(played.bytes.equals(media)).toBe(true);
    expect(played.headers.get('content-type')).toBe('audio/mpeg');
    expect(played.headers.get('cache-control')).toBe('private, no-store');
    expect(played.headers.get('content-disposition')).toBe(`inline; filename="grabacion-${folio}-${callRecordingSid}.mp3"; filename*=UTF-8''grabacion-${folio}-${callRecordingSid}.mp3`);
    leaksNothing(played);
    const fetched = s.cloud.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Recordings/${callRecordingSid}.mp3`));
    // One by the hub, one by this test; both authenticated (the cloud answers 401 otherwise).
    expect(fetched.map((r) => r.status)).toEqual([200, 200]);

    const download = await play(callRecordingSid, ana.token, '?download=1');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="grabacion-/);
    expect(download.bytes.equals(media)).toBe(true);

    expect(await audits(callRecordingSid)).toEqual([
      { action: 'voice_recording.played', actor_user_id: ana.id, campaign_id: s.c.campaignId, details: { source: 'call', conversationId, folio, download: false } },
      { action: 'voice_recording.played', actor_user_id: ana.id, campaign_id: s.c.campaignId, details: { source: 'call', conversationId, folio, download: true } },
    ]);
  });

  it('who may play it: the campaign’s supervisor and auditor yes; an agent who did not serve it, a trainer, another campaign’s agent no; unknown 404, malformed 400', async () => {
    expect((await play(callRecordingSid, supervisor.token)).status).toBe(200);
    expect((await play(callRecordingSid, auditor.token)).status).toBe(200);
    const notServed = await play(callRecordingSid, beto.token);
    expect(notServed.status).toBe(403);
    expect(JSON.parse(notServed.text)).toMatchObject({ error: { code: 'HUB_ERR_NOT_ASSIGNEE' } });
    expect((await play(callRecordingSid, trainer.token)).status).toBe(403);
    const foreign = await play(callRecordingSid, outsider.token);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text)).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' } });
    leaksNothing(foreign);
    const unknown = await play(`RE${'0'.repeat(32)}`, ana.token);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: { code: 'HUB_ERR_VOICE_RECORDING_NOT_FOUND' } });
    expect((await play('RE123', ana.token)).status).toBe(400);
    expect((await play(callRecordingSid, ana.token, '?download=yes')).status).toBe(400);
    expect((await fetch(`${h.url}/api/v1/voice/recordings/${callRecordingSid}`)).status).toBe(401);
    // Refusals are not plays.
    expect((await audits(callRecordingSid)).map((a) => a.actor_user_id)).toEqual([ana.id, ana.id, supervisor.id, auditor.id]);
  });

  it('a stored URL on another host is never followed: the media still comes from the channel’s API origin', async () => {
    const { port } = trap.address() as AddressInfo;
    await h.db.updateTable('voice_recordings').set({ url: `http://127.0.0.1:${port}/2010-04-01/Accounts/${s.c.accountSid}/Recordings/${callRecordingSid}` }).where('recording_sid', '=', callRecordingSid).execute();
    const played = await play(callRecordingSid, ana.token);
    expect(played.status).toBe(200);
    expect(played.bytes.equals(await twilioMedia(callRecordingSid))).toBe(true);
    expect(trapHits).toEqual([]);
  });

  it('a voicemail: the agent who took the voicemail conversation gets the bytes; before anyone takes it, an agent may not', async () => {
    const caller = await s.c.dial('+525511120002');
    await caller.press('0');
    s.cloud.inbound(caller);
    await s.cloud.rewait(caller.callSid);
    expect(s.cloud.call(caller.callSid).heard.at(-2)).toMatch(/mensaje de voz, marque 1/);
    await s.cloud.press(caller.callSid, '1'); // voicemail instead of waiting
    const voicemail = await waitFor('the voicemail', () => h.db.selectFrom('voice_voicemails').selectAll().where('call_sid', '=', caller.callSid).executeTakeFirst());
    expect(voicemail.recording_url).toBe(`${s.cloud.url}/2010-04-01/Accounts/${s.c.accountSid}/Recordings/${voicemail.recording_sid}.mp3`);
    expect(s.cloud.errors).toEqual([]);

    expect((await play(voicemail.recording_sid, carla.token)).status).toBe(403);
    expect((await play(voicemail.recording_sid, outsider.token)).status).toBe(403);
    await takeCall(h, carla, voicemail.conversation_id);
    const played = await play(voicemail.recording_sid, carla.token);
    expect(played.status).toBe(200);
    expect(played.bytes.equals(await twilioMedia(voicemail.recording_sid))).toBe(true);
    expect(played.headers.get('content-type')).toBe('audio/mpeg');
    expect(played.headers.get('cache-control')).toBe('private, no-store');
    expect(played.headers.get('content-disposition')).toContain(`mensaje-de-voz-${voicemail.folio}-${voicemail.recording_sid}.mp3`);
    leaksNothing(played);
    // The agent of the call recording did not serve this one.
    expect((await play(voicemail.recording_sid, beto.token)).status).toBe(403);
    expect((await play(voicemail.recording_sid, supervisor.token)).status).toBe(200);
    expect((await audits(voicemail.recording_sid)).map((a) => [a.actor_user_id, (a.details as Record<string, unknown>)['source']])).toEqual([
      [carla.id, 'voicemail'],
      [supervisor.id, 'voicemail'],
    ]);
  });

  it('Twilio without the recording → 404; Twilio refusing the credentials → 502; neither leaks the token', async () => {
    const gone = `RE${'d'.repeat(32)}`;
    const row = await h.db.selectFrom('voice_recordings').selectAll().where('recording_sid', '=', callRecordingSid).executeTakeFirstOrThrow();
    await h.db
      .insertInto('voice_recordings')
      .values({ recording_sid: gone, call_sid: row.call_sid, conversation_id: row.conversation_id, folio: row.folio, campaign_id: row.campaign_id, channel_id: row.channel_id, url: null, status: 'completed', agent_ids: [ana.id] })
      .execute();
    const missing = await play(gone, ana.token);
    expect(missing.status).toBe(404);
    leaksNothing(missing);

    const settings = await h.db.selectFrom('channels').select(['secrets']).where('id', '=', s.c.channelId).executeTakeFirstOrThrow();
    await h.db.updateTable('channels').set({ secrets: JSON.stringify({ authToken: 'a'.repeat(32) }) }).where('id', '=', s.c.channelId).execute();
    h.hub.ctx.channels.invalidate(s.c.channelId);
    try {
      const denied = await play(callRecordingSid, ana.token);
      expect(denied.status).toBe(502);
      expect(JSON.parse(denied.text)).toMatchObject({ error: { code: 'HUB_ERR_VOICE_RECORDING_UNAVAILABLE' } });
      leaksNothing(denied);
      expect(denied.text).not.toContain('a'.repeat(32));
    } finally {
      await h.db.updateTable('channels').set({ secrets: JSON.stringify(settings.secrets) }).where('id', '=', s.c.channelId).execute();
      h.hub.ctx.channels.invalidate(s.c.channelId);
    }
  });
});
