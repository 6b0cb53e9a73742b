import { randomUUID } from 'node:crypto';
import type { Role } from '@ventanilla/hub';
import type { HttpMethod } from '../../hub/src/auth/access-policy/access-policy.js';
import { tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { seedExtras, type ExtraFixtures } from './authz-seed.js';
import { PROBES } from './authz-probes.js';
import { exampleOf, type JsonSchema } from './json-example.js';

/** Who calls: one user per role in campaign A, nobody, and a user of campaign B with every non-admin role. */
export const CALLERS = ['anonymous', 'admin', 'supervisor', 'agent', 'trainer', 'auditor', 'quality_analyst', 'foreign'] as const;
export type Caller = (typeof CALLERS)[number];
export const FOREIGN_ROLES: Role[] = ['supervisor', 'agent', 'trainer', 'auditor', 'quality_analyst'];

/** Real rows of campaign A that path parameters point at, so a foreign caller meets a real resource. */
export interface Fixtures extends ExtraFixtures {
  campaignA: string;
  campaignB: string;
  channel: string;
  conversation: string;
  folio: string;
  contact: string;
  queue: string;
  cannedResponse: string;
  dispositionCode: string;
  kbArticle: string;
  internalMessage: string;
  /** A throwaway agent of campaign A for /users/:id (the callers' own accounts stay untouched). */
  targetUser: string;
  userIds: Record<Exclude<Caller, 'anonymous'>, string>;
}

export interface AuthzWorld {
  hub: TestHub;
  fx: Fixtures;
  openapi: OpenApiDoc;
  call(caller: Caller, method: HttpMethod, url: string): Promise<Outcome>;
  cleanup(): Promise<void>;
}

export interface Outcome {
  status: number;
  code: string | undefined;
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export async function authzWorld(): Promise<AuthzWorld> {
  const hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  const a = await createCampaign(db);
  const b = await createCampaign(db);
  const user = async (roles: Role[], campaignIds: string[]) => (await createUser(db, { roles, campaignIds })).id;
  const userIds: Fixtures['userIds'] = {
    admin: await user(['admin'], [a.id]),
    supervisor: await user(['supervisor'], [a.id]),
    agent: await user(['agent'], [a.id]),
    trainer: await user(['trainer'], [a.id]),
    auditor: await user(['auditor'], [a.id]),
    quality_analyst: await user(['quality_analyst'], [a.id]),
    foreign: await user(FOREIGN_ROLES, [b.id]),
  };
  const target = await createUser(db, { roles: ['agent'], campaignIds: [a.id] });
  const { channel } = await createApiChannel(db, a.id);
  const queue = await createQueue(db, a.id);
  const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana de prueba' }).returning('id').executeTakeFirstOrThrow();
  const { folio } = await db.selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(a.id)]).as('folio')).executeTakeFirstOrThrow();
  const conversation = await db
    .insertInto('conversations')
    .values({ folio, campaign_id: a.id, channel_id: channel.id, contact_id: contact.id, status: 'assigned', queue_id: queue, assignee_id: userIds.agent })
    .returning('id')
    .executeTakeFirstOrThrow();
  const canned = await db.insertInto('canned_responses').values({ campaign_id: a.id, shortcut: 'saludo', title: 'Saludo', body: 'Buenos días' }).returning('id').executeTakeFirstOrThrow();
  const disposition = await db.insertInto('disposition_codes').values({ campaign_id: a.id, code: 'INFO', label: 'Información', depth: 1 }).returning('id').executeTakeFirstOrThrow();
  const kb = await db.insertInto('kb_articles').values({ campaign_id: a.id, title: 'Vigencia', topic: 'Afiliación', body: 'Con su CURP.', published: true }).returning('id').executeTakeFirstOrThrow();
  const message = await db
    .insertInto('internal_messages')
    .values({ campaign_id: a.id, from_user_id: userIds.supervisor, to_user_id: userIds.agent, body: 'Revisa la fila' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const extras = await seedExtras(db, { campaignId: a.id, channelId: channel.id, conversationId: conversation.id, contactId: contact.id, adminId: userIds.admin, agentId: userIds.agent, analystId: userIds.quality_analyst });
  const fx: Fixtures = {
    ...extras,
    campaignA: a.id,
    campaignB: b.id,
    channel: channel.id,
    conversation: conversation.id,
    folio,
    contact: contact.id,
    queue,
    cannedResponse: canned.id,
    dispositionCode: disposition.id,
    kbArticle: kb.id,
    internalMessage: message.id,
    targetUser: target.id,
    userIds,
  };
  const openapi = (await hub.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<OpenApiDoc>();

  async function call(caller: Caller, method: HttpMethod, url: string): Promise<Outcome> {
    // A fresh session per request: a route that ends the session (logout) cannot spoil the next one.
    const headers: Record<string, string> = {};
    if (caller !== 'anonymous') headers['authorization'] = `Bearer ${await tokenFor(db, userIds[caller])}`;
    const operation = openapi.paths[url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
    const path = fillPath(url, fx);
    const probe = PROBES[`${method} ${url}`];
    const query = new URLSearchParams();
    for (const p of operation?.parameters ?? []) {
      if (p.in !== 'query' || !(p.required || /campaign/i.test(p.name))) continue;
      query.set(p.name, String(exampleOf(p.schema ?? {}, p.name, fx)));
    }
    for (const [name, value] of Object.entries(probe?.query?.(fx) ?? {})) query.set(name, value);
    const bodySchema = operation?.requestBody?.content?.['application/json']?.schema;
    const body = probe?.body ? probe.body(fx, caller) : bodySchema ? exampleOf(bodySchema, '', fx) : {};
    const hasBody = method !== 'GET' && method !== 'DELETE' && method !== 'OPTIONS';
    const res = await hub.app.inject({
      method,
      url: query.size > 0 ? `${path}?${query.toString()}` : path,
      headers: hasBody ? { ...headers, 'content-type': probe?.raw?.contentType ?? 'application/json' } : headers,
      ...(hasBody ? { payload: probe?.raw?.payload ?? JSON.stringify(body) } : {}),
    });
    let code: string | undefined;
    try {
      const parsed: unknown = JSON.parse(res.body);
      const error: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'error') : undefined;
      const value: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
      code = typeof value === 'string' ? value : undefined;
    } catch {
      code = undefined;
    }
    return { status: res.statusCode, code };
  }

  return { hub, fx, openapi, call, cleanup: () => hub.cleanup() };
}

/** `:id` means a different row depending on the collection before it. */
const ID_BY_COLLECTION: Record<string, (fx: Fixtures) => string> = {
  users: (fx) => fx.targetUser,
  campaigns: (fx) => fx.campaignA,
  channels: (fx) => fx.channel,
  conversations: (fx) => fx.conversation,
  contacts: (fx) => fx.contact,
  'internal-messages': (fx) => fx.internalMessage,
  agents: (fx) => fx.userIds.agent,
  'canned-responses': (fx) => fx.cannedResponse,
  'disposition-codes': (fx) => fx.dispositionCode,
  'kb-articles': (fx) => fx.kbArticle,
  outages: (fx) => fx.outage,
  penalties: (fx) => fx.penalty,
  scorecards: (fx) => fx.scorecard,
  'report-tokens': (fx) => fx.reportToken,
  'ivr-models': (fx) => fx.ivrModel,
  callbacks: (fx) => fx.callback,
  thresholds: (fx) => fx.threshold,
  samples: (fx) => fx.sample,
  files: (fx) => fx.file,
};

const PARAMS: Record<string, (fx: Fixtures) => string> = {
  campaignId: (fx) => fx.campaignA,
  channelId: (fx) => fx.channel,
  conversationId: (fx) => fx.conversation,
  callSid: (fx) => fx.callSid,
  queueId: (fx) => fx.queue,
  agentId: (fx) => fx.userIds.agent,
  blastId: (fx) => fx.blast,
  mailingId: (fx) => fx.mailing,
  massSmsId: (fx) => fx.massSms,
  recordingSid: () => 'RE00000000000000000000000000000000',
  month: () => '2026-01',
  conceptCode: () => 'conversation',
  node: () => 'root',
};

export function fillPath(url: string, fx: Fixtures): string {
  const parts = url.split('/');
  return parts
    .map((part, i) => {
      if (part === '*') return 'x';
      if (!part.startsWith(':')) return part;
      const name = part.slice(1);
      if (name === 'id' && url.includes('/whatsapp-web')) return fx.whatsappWebChannel;
      if (name === 'conversationId' && url.startsWith('/api/v1/voice/calls/')) return fx.voiceConversation;
      if (name === 'id') return (ID_BY_COLLECTION[parts[i - 1] ?? ''] ?? (() => randomUUID()))(fx);
      if (name === 'folio') return url.startsWith('/api/v1/conversations') ? fx.folio : 'CITA-0001';
      return (PARAMS[name] ?? (() => randomUUID()))(fx);
    })
    .join('/');
}
