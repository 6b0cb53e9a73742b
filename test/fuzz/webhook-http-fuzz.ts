import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { inboundJobSchema } from '../../hub/src/queues/queues.js';
import type { HubContext } from '../../hub/src/runtime/context.js';
import { FIXTURE_ACCOUNT_SID, FIXTURE_AUTH_TOKEN } from '../../connectors/sms/fixtures/twilio-fixtures.js';
import { formEncode, twilioSign, webhookCase, webhookConnectors, type WebhookConnector } from './decoder-targets.js';
import { bodyArbitrary, headerValue } from './fuzz-arbitraries.js';

/** Statuses seen per route, for the test's assertions and the bench report. */
export type StatusCounts = Record<string, number>;

export interface FuzzedRoute {
  name: string;
  /** Fuzzes the route `numRuns` times; throws (fast-check's report with the seed) on a 5xx or a forged request accepted. */
  run(app: FastifyInstance, options: { numRuns: number; seed: number }): Promise<StatusCounts>;
}

export interface WebhookChannels {
  connectors: WebhookConnector[];
  ids: Map<string, string>;
  voiceChannelId: string;
}

const VOICE_BASE = 'https://ventanilla.example.gob.mx';

/** One enabled channel per webhook kind (the fuzz connectors' settings and secrets), plus a Twilio Voice channel. */
export async function createWebhookChannels(db: Kysely<Database>, campaignId: string): Promise<WebhookChannels> {
  const connectors = webhookConnectors();
  const ids = new Map<string, string>();
  for (const c of connectors) {
    const row = await db
      .insertInto('channels')
      .values({ campaign_id: campaignId, kind: c.kind, name: `Fuzz ${c.kind}`, settings: JSON.stringify(c.settingsInput), secrets: JSON.stringify(c.secrets) })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(c.kind, row.id);
  }
  const voice = await db
    .insertInto('channels')
    .values({
      campaign_id: campaignId,
      kind: 'voice',
      name: 'Fuzz voz',
      settings: JSON.stringify({ accountSid: FIXTURE_ACCOUNT_SID, callerId: '+525550001000', webhookBaseUrl: VOICE_BASE }),
      secrets: JSON.stringify({ authToken: FIXTURE_AUTH_TOKEN }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { connectors, ids, voiceChannelId: voice.id };
}

/** Node's HTTP parser refuses control characters in header values before any route runs: keep them printable. */
function printable(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const clean = (v: string) => v.replace(/[^\x20-\x7e]/g, '?');
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    // content-length is computed from the payload, as an HTTP client would.
    if (key === 'content-length') continue;
    out[key] = Array.isArray(value) ? value.map(clean) : clean(value);
  }
  return out;
}

function count(statuses: StatusCounts, status: number): void {
  statuses[status] = (statuses[status] ?? 0) + 1;
}

function refuseServerError(route: string, status: number, body: string): void {
  if (status >= 500) throw new Error(`${route} answered ${status}: ${body.slice(0, 300)}`);
}

/** POST /webhooks/<kind>/:channelId with mutated fixtures, garbage and odd headers, signed or not. */
export function webhookPostRoute(c: WebhookConnector, channelId: string): FuzzedRoute {
  const path = `/webhooks/${c.kind}/${channelId}`;
  const name = `POST /webhooks/${c.kind}/:channelId`;
  return {
    name,
    async run(app, { numRuns, seed }) {
      const statuses: StatusCounts = {};
      await fc.assert(
        fc.asyncProperty(webhookCase(c), fc.boolean(), async ({ body, headers }, signed) => {
          const sent = signed ? { host: 'ventanilla.example.gob.mx', 'content-type': c.contentType, ...printable(headers), [c.signatureHeader]: c.sign(body, path) } : printable(headers);
          const res = await app.inject({ method: 'POST', url: path, headers: sent, payload: body });
          count(statuses, res.statusCode);
          refuseServerError(name, res.statusCode, res.body);
          if (!signed && res.statusCode < 300) throw new Error(`${name}: an unsigned request was accepted (${res.statusCode})`);
        }),
        { numRuns, seed, endOnFailure: true },
      );
      return statuses;
    },
  };
}

/** GET /webhooks/<kind>/:channelId (handshakes) with random query strings, and both verbs on unknown channel ids. */
export function webhookGetRoute(c: WebhookConnector, channelId: string): FuzzedRoute {
  const keys = fc.oneof(fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge', 'crc_token', '__proto__', 'constructor'), fc.string({ maxLength: 10 }));
  const values = fc.oneof(fc.constantFrom('subscribe', 'fuzz-verify', '1158201444', ''), fc.string({ maxLength: 60 }));
  const id = fc.oneof({ weight: 3, arbitrary: fc.constant(channelId) }, { weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.string({ maxLength: 80 })) });
  const name = `GET /webhooks/${c.kind}/:channelId`;
  return {
    name,
    async run(app, { numRuns, seed }) {
      const statuses: StatusCounts = {};
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(keys, values), { maxLength: 4 }), id, fc.boolean(), async (query, target, post) => {
          const url = `/webhooks/${c.kind}/${encodeURIComponent(target)}?${new URLSearchParams(query).toString()}`;
          const res = await app.inject({ method: post ? 'POST' : 'GET', url, ...(post ? { headers: { 'content-type': c.contentType }, payload: '{}' } : {}) });
          count(statuses, res.statusCode);
          refuseServerError(name, res.statusCode, res.body);
          if (post && res.statusCode < 300) throw new Error(`${name}: an unsigned POST to ${url} was accepted`);
        }),
        { numRuns, seed, endOnFailure: true },
      );
      return statuses;
    },
  };
}

/** Twilio Voice webhooks (voice bridge): /incoming and /status with random forms, signed or not. */
export function voiceRoute(channelId: string, leaf: 'incoming' | 'status'): FuzzedRoute {
  const path = `/webhooks/voice/${channelId}/${leaf}`;
  const fixtures = [
    { CallSid: 'CA0123456789abcdef0123456789abcdef', AccountSid: FIXTURE_ACCOUNT_SID, From: '+525512345678', To: '+525550001000', CallStatus: 'ringing', Direction: 'inbound' },
    { CallSid: 'CA0123456789abcdef0123456789abcdef', AccountSid: FIXTURE_ACCOUNT_SID, CallStatus: 'completed', CallDuration: '42' },
  ];
  const name = `POST /webhooks/voice/:channelId/${leaf}`;
  return {
    name,
    async run(app, { numRuns, seed }) {
      const statuses: StatusCounts = {};
      await fc.assert(
        fc.asyncProperty(bodyArbitrary(fixtures, formEncode), fc.boolean(), headerValue, async (body, signed, contentType) => {
          const headers: Record<string, string | string[]> = { 'content-type': signed ? 'application/x-www-form-urlencoded' : (contentType ?? 'application/x-www-form-urlencoded') };
          if (signed) headers['x-twilio-signature'] = twilioSign(FIXTURE_AUTH_TOKEN, `${VOICE_BASE}${path}`, body);
          const res = await app.inject({ method: 'POST', url: path, headers: printable(headers), payload: body });
          count(statuses, res.statusCode);
          refuseServerError(name, res.statusCode, res.body);
          if (!signed && res.statusCode < 300) throw new Error(`${name}: an unsigned request was accepted`);
        }),
        { numRuns, seed, endOnFailure: true },
      );
      return statuses;
    },
  };
}

export function webhookRoutes(channels: WebhookChannels): FuzzedRoute[] {
  return channels.connectors.flatMap((c) => {
    const id = channels.ids.get(c.kind) ?? '';
    return [webhookPostRoute(c, id), webhookGetRoute(c, id)];
  });
}

/** Every job an acknowledged webhook left must be one the ingest worker accepts (nothing acked then dropped). */
export async function invalidInboundJobs(ctx: HubContext): Promise<string[]> {
  const jobs = await ctx.queues.inbound.getJobs(['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed', 'paused']);
  return jobs.flatMap((job) => {
    const parsed = inboundJobSchema.safeParse(job.data);
    return parsed.success ? [] : [`${job.id}: ${parsed.error.message.slice(0, 300)}`];
  });
}
