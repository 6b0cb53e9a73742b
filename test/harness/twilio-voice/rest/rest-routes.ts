import type { ServerResponse } from 'node:http';
import type { CallEngine } from './call-engine.js';
import type { CloudConference, CloudParticipant } from './cloud-types.js';
import { isOver } from './call-state.js';
import { parseTwimlTree } from './twiml-tree.js';
import { beepSetting } from './audibility.js';
import { callJson, conferenceJson, eventSet, formBool, pageJson, participantJson, recordingJson, sendError, sendJson } from './rest-wire.js';

export interface RestContext {
  engine: CallEngine;
  accountSid: string;
  baseUrl: string;
}

type Form = Record<string, string>;
type FormAll = Record<string, string[]>;

/** A number Twilio can dial: E.164, a Client identity or a SIP URI. */
const ADDRESS = /^(\+[1-9]\d{7,14}|client:[\w.@-]+|sip:.+)$/;
/** A tiny WAV header (silence) served as the recording's media. */
const SILENCE = Buffer.from('UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=', 'base64');

function how(value: string | undefined): 'GET' | 'POST' {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

/** Routes one authenticated request under /2010-04-01/Accounts/{AccountSid}; returns the HTTP status sent. */
export async function routeRest(ctx: RestContext, method: string, path: string, form: Form, formAll: FormAll, res: ServerResponse): Promise<number> {
  const send = (status: number, body: unknown) => {
    sendJson(res, status, body);
    return status;
  };
  const fail = (status: number, code: number, message: string) => {
    sendError(res, status, code, message);
    return status;
  };
  const notFound = () => fail(404, 20404, `The requested resource /2010-04-01/Accounts/${ctx.accountSid}${path} was not found`);
  const { engine, accountSid } = ctx;
  let m: RegExpExecArray | null;

  if (path === '/Calls.json') {
    if (method === 'GET') {
      const calls = [...engine.calls.values()].filter((c) => (!form['To'] || c.to === form['To']) && (!form['Status'] || c.status === form['Status']));
      return send(200, pageJson(`/2010-04-01/Accounts/${accountSid}/Calls.json`, 'calls', calls.map((c) => callJson(accountSid, c))));
    }
    if (method !== 'POST') return notFound();
    const to = form['To'];
    const from = form['From'];
    if (!to) return fail(400, 21201, "No 'To' number is specified");
    if (!ADDRESS.test(to)) return fail(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!from) return fail(400, 21213, "No 'From' number is specified");
    if (!form['Url'] && !form['Twiml']) return fail(400, 21205, "A 'Url', 'Twiml', or 'ApplicationSid' parameter is required.");
    const rt = engine.newLeg({
      to,
      from,
      direction: 'outbound-api',
      url: form['Url'] ?? null,
      method: how(form['Method']),
      statusCallback: form['StatusCallback'] ?? null,
      statusCallbackEvents: formAll['StatusCallbackEvent'] ?? ['completed'],
      machineDetection: form['MachineDetection'] === 'Enable' || form['MachineDetection'] === 'DetectMessageEnd',
    });
    const inline = form['Twiml'];
    engine.place(rt, async () => {
      const url = rt.call.url;
      if (url) return engine.executor.fetchAndRun(rt, url, how(form['Method']), {}, 'twiml');
      if (inline) {
        const verbs = parseTwimlTree(inline);
        rt.call.twimlLog.push({ url: `${ctx.baseUrl}/inline`, verbs });
        return engine.executor.execute(rt, verbs, `${ctx.baseUrl}/inline`, 0, false);
      }
    });
    return send(201, callJson(accountSid, rt.call));
  }

  if ((m = /^\/Calls\/(CA[0-9a-f]{32})\.json$/.exec(path))) {
    const rt = engine.runtime(m[1] ?? '');
    if (!rt) return notFound();
    if (method === 'GET') return send(200, callJson(accountSid, rt.call));
    if (method !== 'POST') return notFound();
    const status = form['Status'];
    if (status === 'completed' || status === 'canceled') {
      if (isOver(rt)) return fail(400, 21220, 'Call is not in-progress. Cannot redirect.');
      const final = rt.call.answeredAt === null ? 'canceled' : 'completed';
      // Status=completed on a ringing call is not applied by Twilio; canceled is. Both end it here.
      engine.activity.spawn(`hang up ${rt.call.sid}`, () => engine.endCall(rt, final, 'participant_hung_up'));
      return send(200, { ...callJson(accountSid, rt.call), status: final });
    }
    const url = form['Url'];
    if (url) {
      if (isOver(rt)) return fail(400, 21220, 'Call is not in-progress. Cannot redirect.');
      engine.redirect(rt, url, how(form['Method']));
      return send(200, callJson(accountSid, rt.call));
    }
    if (form['Twiml']) return fail(400, 21220, 'The cloud harness follows Url redirects only (Twiml updates are not simulated).');
    return send(200, callJson(accountSid, rt.call));
  }

  if ((m = /^\/Calls\/(CA[0-9a-f]{32})\/Recordings\.json$/.exec(path))) {
    const rt = engine.runtime(m[1] ?? '');
    if (!rt) return notFound();
    const recordings = [...engine.recordings.values()].filter((r) => r.callSid === rt.call.sid);
    if (method === 'GET') return send(200, pageJson(`/2010-04-01/Accounts/${accountSid}/Calls/${rt.call.sid}/Recordings.json`, 'recordings', recordings.map((r) => recordingJson(accountSid, r))));
    if (method !== 'POST') return notFound();
    if (rt.call.status !== 'in-progress') return fail(400, 21220, 'Requested resource is not eligible for recording');
    const channels = (form['RecordingChannels'] ?? 'mono') === 'dual' ? 2 : 1;
    const recording = engine.startRecording(rt, channels, form['RecordingStatusCallback'] ?? null, formAll['RecordingStatusCallbackEvent'], 'StartCallRecordingAPI');
    return send(201, recordingJson(accountSid, recording));
  }

  if ((m = /^\/(?:Calls\/CA[0-9a-f]{32}\/)?Recordings\/(RE[0-9a-f]{32})(\.json|\.mp3|\.wav)?$/.exec(path))) {
    const recording = engine.recordings.get(m[1] ?? '');
    if (!recording) return notFound();
    if (m[2] === '.json') return send(200, recordingJson(accountSid, recording));
    res.writeHead(200, { 'content-type': m[2] === '.mp3' ? 'audio/mpeg' : 'audio/x-wav', 'content-length': String(SILENCE.length) });
    res.end(SILENCE);
    return 200;
  }

  if (path === '/Conferences.json') {
    if (method !== 'GET') return notFound();
    const list = engine.rooms.list().filter((c) => (!form['FriendlyName'] || c.name === form['FriendlyName']) && (!form['Status'] || c.status === form['Status']));
    return send(200, pageJson(`/2010-04-01/Accounts/${accountSid}/Conferences.json`, 'conferences', list.map((c) => conferenceJson(accountSid, c))));
  }

  if ((m = /^\/Conferences\/([^/]+)\.json$/.exec(path))) {
    const conference = engine.rooms.find(decodeURIComponent(m[1] ?? ''));
    if (!conference) return notFound();
    if (method === 'POST' && form['Status'] === 'completed') await engine.rooms.end(conference, 'conference-ended-via-api', null);
    return send(200, conferenceJson(accountSid, conference));
  }

  if ((m = /^\/Conferences\/([^/]+)\/Participants\.json$/.exec(path))) {
    const key = decodeURIComponent(m[1] ?? '');
    if (method === 'GET') {
      const conference = engine.rooms.find(key);
      if (!conference) return notFound();
      const items = [...conference.participants.values()].map((p) => participantJson(accountSid, conference, p, 'connected'));
      return send(200, pageJson(`/2010-04-01/Accounts/${accountSid}/Conferences/${conference.sid}/Participants.json`, 'participants', items));
    }
    if (method !== 'POST') return notFound();
    return addParticipant(ctx, key, form, formAll, send, fail, notFound);
  }

  if ((m = /^\/Conferences\/([^/]+)\/Participants\/([^/]+)\.json$/.exec(path))) {
    const conference = engine.rooms.find(decodeURIComponent(m[1] ?? ''));
    if (!conference) return notFound();
    const key = decodeURIComponent(m[2] ?? '');
    const found = findParticipant(ctx, conference, key);
    if (!found) return notFound();
    const { participant, joined } = found;
    if (method === 'GET') return send(200, participantJson(accountSid, conference, participant, joined ? 'connected' : 'connecting'));
    if (method === 'DELETE') {
      await engine.kick(participant.callSid);
      res.writeHead(204);
      res.end();
      return 204;
    }
    if (method !== 'POST') return notFound();
    const changes = {
      ...(form['Hold'] !== undefined ? { hold: formBool(form['Hold']) ?? false } : {}),
      ...(form['Muted'] !== undefined ? { muted: formBool(form['Muted']) ?? false } : {}),
      ...(form['Coaching'] !== undefined ? { coaching: formBool(form['Coaching']) ?? false } : {}),
      ...(form['CallSidToCoach'] !== undefined ? { callSidToCoach: form['CallSidToCoach'] } : {}),
    };
    if (changes.coaching && !(changes.callSidToCoach ?? participant.callSidToCoach)) return fail(400, 16025, 'CallSidToCoach is required when Coaching is true');
    if (joined) await engine.rooms.update(conference, participant, changes, form['HoldUrl'], how(form['HoldMethod']));
    else Object.assign(participant, changes);
    return send(200, participantJson(accountSid, conference, participant, joined ? 'connected' : 'connecting'));
  }

  return notFound();
}

function findParticipant(ctx: RestContext, conference: CloudConference, key: string): { participant: CloudParticipant; joined: boolean } | null {
  const joined = [...conference.participants.values()].find((p) => p.callSid === key || p.label === key);
  if (joined) return { participant: joined, joined: true };
  for (const call of ctx.engine.calls.values()) {
    const pending = ctx.engine.runtime(call.sid)?.pendingParticipant;
    if (pending && ctx.engine.rooms.find(pending.conference) === conference && (call.sid === key || pending.participant.label === key)) return { participant: pending.participant, joined: false };
  }
  return null;
}

function addParticipant(
  ctx: RestContext,
  key: string,
  form: Form,
  formAll: FormAll,
  send: (status: number, body: unknown) => number,
  fail: (status: number, code: number, message: string) => number,
  notFound: () => number,
): number {
  const { engine, accountSid } = ctx;
  const to = form['To'];
  const from = form['From'];
  if (!to) return fail(400, 21201, "No 'To' number is specified");
  if (!ADDRESS.test(to)) return fail(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (!from) return fail(400, 21213, "No 'From' number is specified");
  const coaching = formBool(form['Coaching']) ?? false;
  if (coaching && !form['CallSidToCoach']) return fail(400, 16025, 'CallSidToCoach is required when Coaching is true');
  // A CF sid must exist; a friendly name creates the conference on demand.
  if (/^CF[0-9a-f]{32}$/.test(key) && !engine.rooms.find(key)) return notFound();
  const existing = engine.rooms.find(key);
  const conference = existing && existing.status !== 'completed' ? existing : engine.rooms.ensure(existing?.name ?? key);
  engine.rooms.useCallback(conference, form['ConferenceStatusCallback'], eventSet(formAll['ConferenceStatusCallbackEvent'], ['start', 'end', 'join', 'leave', 'mute', 'hold']));
  const rt = engine.newLeg({
    to,
    from,
    direction: 'outbound-api',
    statusCallback: form['StatusCallback'] ?? null,
    statusCallbackEvents: formAll['StatusCallbackEvent'] ?? ['completed'],
  });
  const participant: CloudParticipant = {
    callSid: rt.call.sid,
    label: form['Label'] ?? null,
    hold: false,
    muted: formBool(form['Muted']) ?? false,
    coaching,
    callSidToCoach: form['CallSidToCoach'] ?? null,
    startConferenceOnEnter: formBool(form['StartConferenceOnEnter']) ?? true,
    endConferenceOnExit: formBool(form['EndConferenceOnExit']) ?? false,
    beep: beepSetting(form['Beep']),
    via: 'api',
    joinedAt: Date.now(),
  };
  rt.pendingParticipant = { conference: conference.name, participant };
  engine.place(rt, () => engine.joinAsParticipant(rt));
  return send(201, participantJson(accountSid, conference, participant, 'queued'));
}
