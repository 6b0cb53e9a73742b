import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudCall, CloudConference, CloudParticipant, CloudRecording } from './cloud-types.js';

/**
 * Twilio's REST wire format for the resources the hub uses (api.twilio.com/2010-04-01): JSON
 * bodies in snake_case (the SDK maps them to camelCase), RFC 2822 dates, string durations, and
 * the documented error body `{ code, message, more_info, status }`.
 */
export type SidPrefix = 'CA' | 'CF' | 'RE' | 'QU';

export function sid(prefix: SidPrefix): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Twilio's dates: RFC 2822 with a numeric zone ("Thu, 26 Nov 2026 13:56:20 +0000"). */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

export async function readForm(req: IncomingMessage): Promise<{ form: Record<string, string>; formAll: Record<string, string[]> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const form: Record<string, string> = {};
  const formAll: Record<string, string[]> = {};
  for (const [key, value] of params) {
    form[key] = value;
    (formAll[key] ??= []).push(value);
  }
  return { form, formAll };
}

export function basicAuthOk(req: IncomingMessage, accountSid: string, authToken: string): boolean {
  return req.headers.authorization === `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
}

/** Twilio's booleans in forms are `true`/`false` (the SDK serializes them so). */
export function formBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return value.toLowerCase() === 'true';
}

/** `StatusCallbackEvent` arrives as repeated fields (SDK) or one space-separated value (TwiML). */
export function eventSet(values: string[] | undefined, fallback: string[]): Set<string> {
  const all = (values ?? []).flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
  return new Set(all.length > 0 ? all : fallback);
}

const base = (accountSid: string) => `/2010-04-01/Accounts/${accountSid}`;

export function callJson(accountSid: string, call: CloudCall): Record<string, unknown> {
  const uri = `${base(accountSid)}/Calls/${call.sid}.json`;
  return {
    sid: call.sid,
    date_created: rfc2822(call.createdAt),
    date_updated: rfc2822(call.endedAt ?? call.answeredAt ?? call.createdAt),
    parent_call_sid: call.parentCallSid,
    account_sid: accountSid,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    phone_number_sid: null,
    status: call.status,
    start_time: call.answeredAt === null ? null : rfc2822(call.answeredAt),
    end_time: call.endedAt === null ? null : rfc2822(call.endedAt),
    duration: call.duration === null ? null : String(call.duration),
    price: null,
    price_unit: 'USD',
    direction: call.direction,
    answered_by: call.answeredBy,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri,
    subresource_uris: {
      notifications: `${base(accountSid)}/Calls/${call.sid}/Notifications.json`,
      recordings: `${base(accountSid)}/Calls/${call.sid}/Recordings.json`,
      events: `${base(accountSid)}/Calls/${call.sid}/Events.json`,
      payments: `${base(accountSid)}/Calls/${call.sid}/Payments.json`,
    },
  };
}

export function participantJson(accountSid: string, conference: CloudConference, participant: CloudParticipant, status: string): Record<string, unknown> {
  return {
    account_sid: accountSid,
    call_sid: participant.callSid,
    label: participant.label,
    call_sid_to_coach: participant.callSidToCoach,
    coaching: participant.coaching,
    conference_sid: conference.sid,
    date_created: rfc2822(participant.joinedAt),
    date_updated: rfc2822(Date.now()),
    end_conference_on_exit: participant.endConferenceOnExit,
    muted: participant.muted,
    hold: participant.hold,
    start_conference_on_enter: participant.startConferenceOnEnter,
    status,
    queue_time: '0',
    uri: `${base(accountSid)}/Conferences/${conference.sid}/Participants/${participant.callSid}.json`,
  };
}

export function conferenceJson(accountSid: string, conference: CloudConference): Record<string, unknown> {
  return {
    account_sid: accountSid,
    date_created: rfc2822(conference.createdAt),
    date_updated: rfc2822(Date.now()),
    api_version: '2010-04-01',
    friendly_name: conference.name,
    region: 'us1',
    sid: conference.sid,
    status: conference.status,
    uri: `${base(accountSid)}/Conferences/${conference.sid}.json`,
    subresource_uris: {
      participants: `${base(accountSid)}/Conferences/${conference.sid}/Participants.json`,
      recordings: `${base(accountSid)}/Conferences/${conference.sid}/Recordings.json`,
    },
    reason_conference_ended: conference.reasonEnded,
    call_sid_ending_conference: conference.callSidEndingConference,
  };
}

export function recordingJson(accountSid: string, recording: CloudRecording): Record<string, unknown> {
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    call_sid: recording.callSid,
    conference_sid: null,
    date_created: rfc2822(recording.startedAt),
    date_updated: rfc2822(Date.now()),
    start_time: rfc2822(recording.startedAt),
    duration: recording.duration === null ? '-1' : String(recording.duration),
    sid: recording.sid,
    price: null,
    price_unit: 'USD',
    status: recording.status,
    channels: recording.channels,
    source: recording.source,
    error_code: null,
    track: 'both',
    encryption_details: null,
    uri: `${base(accountSid)}/Calls/${recording.callSid}/Recordings/${recording.sid}.json`,
  };
}

/** A page of a list resource, as the SDK's `list()`/`page()` read it (`key` holds the items). */
export function pageJson(path: string, key: string, items: unknown[]): Record<string, unknown> {
  return {
    [key]: items,
    first_page_uri: `${path}?PageSize=50&Page=0`,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: 50,
    start: 0,
    end: Math.max(0, items.length - 1),
    uri: `${path}?PageSize=50&Page=0`,
  };
}
