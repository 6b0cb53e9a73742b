import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { recordAudit, requestMeta, type AuditAction } from '../../audit/audit.js';
import { authorize, canAccessCampaign, hasRole, STAFF_ROLES, type Principal } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { agentCapacityOverrideSchema, campaignRoutingSchema, parseAgentCapacityOverride, parseCampaignRouting } from '../config/campaign-routing.schema.js';
import { MAX_SKILL_LEVEL, MIN_SKILL_LEVEL, parseQueueConfig, queueConfigSchema, type QueueConfig } from '../config/queue-config.schema.js';
import { bilingual, formatProblems, hasErrors, parseWith, type ParseResult, type RoutingProblem } from '../config/routing-problem.js';
import { validateRouting } from '../config/validate-routing.js';
import { CHANNEL_CLASSES, type ChannelClass } from '../core/router.types.js';
import { seatCapacity, syncAgentSeats, toSeatView } from '../store/agent-seats.js';
import { loadCampaignRouting, loadRoutingQueues, parseStoredCampaignRouting, type RoutingQueueRow } from '../store/routing-settings.js';

/**
 * Routing administration (issue 3, items 1 and 2, "Supervisor controls"): skills, queues, campaign
 * routing settings, and agents' skills and capacity edited live. Every change is validated with
 * router/config (bilingual problems; HUB_ERR_ROUTING_INVALID names each one), written in one
 * transaction with its audit entry, then the router is kicked so a match it creates is offered
 * at once.
 */

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Bodies are checked in the handler with router/config's parsers, whose problems are bilingual and
 * name the field (Fastify's validator would answer with zod's English-only texts and a generic
 * code). The union with `unknown` lets any JSON reach the handler while OpenAPI still shows the
 * real shape (fastify-type-provider-zod drops the empty `unknown` branch from the document).
 */
const documented = <S extends z.ZodType>(schema: S) => z.union([schema, z.unknown()]);

function invalid(problems: readonly RoutingProblem[]): HubError {
  const errors = problems.filter((p) => p.severity === 'error');
  return new HubError('HUB_ERR_ROUTING_INVALID', formatProblems(errors.length > 0 ? errors : problems), { problems });
}

function valueOf<T>(result: ParseResult<T>): T {
  if (!result.ok) throw invalid(result.problems);
  return result.value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const levelMessage = bilingual(`el nivel debe ser un entero entre ${MIN_SKILL_LEVEL} y ${MAX_SKILL_LEVEL}`, `level must be an integer ${MIN_SKILL_LEVEL}–${MAX_SKILL_LEVEL}`);
const skillBody = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]{2,60}$/, bilingual('el nombre debe tener de 2 a 60 minúsculas, dígitos o guiones bajos', 'name must be 2–60 lower-case letters, digits or underscores')),
});
const queueExtras = z.object({
  tier: z.union([z.literal(1), z.literal(2)], { error: bilingual('el nivel de atención (tier) debe ser 1 o 2', 'tier must be 1 or 2') }).default(1),
  isDefault: z.boolean().default(false),
});
const agentSkillsBody = z.strictObject({
  campaignId: z.uuid(bilingual('el id de campaña debe ser un UUID', 'campaignId must be a UUID')),
  skills: z
    .array(z.strictObject({ skillId: z.uuid(bilingual('el id de habilidad debe ser un UUID', 'skillId must be a UUID')), level: z.number().int(levelMessage).min(MIN_SKILL_LEVEL, levelMessage).max(MAX_SKILL_LEVEL, levelMessage) }))
    .max(100, bilingual('máximo 100 habilidades', 'at most 100 skills'))
    .superRefine((skills, ctx) => {
      skills.forEach((s, index) => {
        if (skills.findIndex((o) => o.skillId === s.skillId) < index) ctx.addIssue({ code: 'custom', path: [index, 'skillId'], message: bilingual(`habilidad repetida: ${s.skillId}`, `duplicate skill: ${s.skillId}`) });
      });
    }),
});
/** Absent or null clears a class's override; ranges and messages are agentCapacityOverrideSchema's. */
const capacityBody = z.strictObject({
  text: agentCapacityOverrideSchema.shape.text.nullable(),
  voice: agentCapacityOverrideSchema.shape.voice.nullable(),
  email: agentCapacityOverrideSchema.shape.email.nullable(),
});

const idParams = z.object({ id: z.uuid() });
const queueParams = z.object({ queueId: z.uuid() });
const problemSchema = z.object({ path: z.string(), message: z.string(), severity: z.enum(['error', 'warning']), queueId: z.uuid().optional() });
const classCounts = z.object({ text: z.number(), voice: z.number(), email: z.number() });
const skillSchema = z.object({ id: z.uuid(), campaignId: z.uuid(), name: z.string() });
const agentSkillSchema = z.object({ skillId: z.uuid(), name: z.string(), level: z.number().int() });
const liveSchema = z.object({ waiting: z.number().int(), offered: z.number().int(), assigned: z.number().int() }).describe('Conversaciones abiertas en la fila por estado / open conversations in the queue by status');
const queueViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  name: z.string(),
  priority: z.number().int(),
  requiredSkills: z.array(z.object({ skillId: z.uuid(), minLevel: z.number().int() })),
  strategy: z.string(),
  maxWaitSeconds: z.number().int().nullable(),
  channelClasses: z.array(z.enum(CHANNEL_CLASSES)),
  overflow: z.array(
    z.object({
      trigger: z.union([z.object({ afterSeconds: z.number() }), z.object({ estimatedWaitOverSeconds: z.number() })]),
      action: z.union([z.object({ moveToQueueId: z.uuid() }), z.object({ relaxLevels: z.number() })]),
    }),
  ),
  afterHours: z.object({ mode: z.string(), message: z.object({ es: z.string(), en: z.string().optional() }) }),
  tier: z.union([z.literal(1), z.literal(2)]),
  isDefault: z.boolean(),
  live: liveSchema,
});
type QueueView = z.infer<typeof queueViewSchema>;
const queueWriteResponse = queueViewSchema.extend({ warnings: z.array(problemSchema) });
const seatFields = { agentId: z.uuid(), state: z.string(), load: classCounts, capacity: classCounts, capacityOverride: z.record(z.string(), z.number()) };
const agentViewSchema = z.object({
  ...seatFields,
  displayName: z.string(),
  email: z.string(),
  stateSince: z.string().nullable().describe('null: never logged in'),
  stateReason: z.string().nullable(),
  seatType: z.string(),
  skills: z.array(agentSkillSchema),
});
const capacityResponse = z.object({ ...seatFields, stateSince: z.string(), warnings: z.array(problemSchema) });
const routingResponse = z.object({ campaignId: z.uuid(), routing: campaignRoutingSchema });
const agentSkillsResponse = z.object({ agentId: z.uuid(), campaignId: z.uuid(), skills: z.array(agentSkillSchema) });
const capacitySummary = 'Capacidad propia de un agente, en vivo; null o ausente vuelve a la de la campaña / an agent’s own capacity, live; null or absent restores the campaign default';
const noContent = z.null().describe('Sin contenido / no content');

const CLASS_NAMES_ES: Record<ChannelClass, string> = { text: 'texto', voice: 'voz', email: 'correo' };
const ADMIN_OR_SUPERVISOR = ['admin', 'supervisor'] as const;
const READERS = ['admin', 'supervisor', 'auditor'] as const;

async function lockCampaign(trx: Transaction<Database>, campaignId: string): Promise<void> {
  // Serialises routing edits of one campaign, so two edits cannot each close half of a cycle.
  const row = await trx.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
}

async function assertCampaignExists(db: Db, campaignId: string): Promise<void> {
  if (!(await db.selectFrom('campaigns').select('id').where('id', '=', campaignId).executeTakeFirst())) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
}

async function campaignOfQueue(db: Db, queueId: string): Promise<string> {
  const row = await db.selectFrom('queues').select('campaign_id').where('id', '=', queueId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND');
  return row.campaign_id;
}

interface QueueInput {
  config: QueueConfig;
  tier: 1 | 2;
  isDefault: boolean;
}

function parseQueueBody(body: unknown): QueueInput {
  const extras = parseWith(queueExtras, body);
  const config = parseQueueConfig(isPlainObject(body) ? Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'tier' && key !== 'isDefault')) : body);
  if (config.ok && extras.ok) return { config: config.value, ...extras.value };
  const problems = [...(config.ok ? [] : config.problems), ...(extras.ok ? [] : extras.problems)];
  throw invalid(problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i));
}

/** Cross-queue checks on the campaign as it would be with `config` stored as `queueId`; returns the warnings. */
async function validateQueueChange(trx: Transaction<Database>, campaignId: string, queueId: string, config: QueueConfig): Promise<RoutingProblem[]> {
  const current = await loadRoutingQueues(trx, [campaignId]);
  const queues = [...current.values()].filter((q) => q.id !== queueId).map((q) => ({ id: q.id, campaignId: q.campaignId, config: q.config }));
  const targets = config.overflow.flatMap((s) => ('moveToQueueId' in s.action && !current.has(s.action.moveToQueueId) ? [s.action.moveToQueueId] : []));
  const [skills, foreign] = await Promise.all([
    trx.selectFrom('skills').select('id').where('campaign_id', '=', campaignId).execute(),
    targets.length > 0 ? trx.selectFrom('queues').select(['id', 'campaign_id']).where('id', 'in', targets).execute() : Promise.resolve([]),
  ]);
  // Other queues' problems predate this edit (rows are validated on write); a cycle this edit
  // closes is reported on the edited queue's own step too.
  const problems = validateRouting({
    campaignId,
    skillIds: skills.map((s) => s.id),
    queues: [...queues, { id: queueId, campaignId, config }],
    foreignQueues: new Map(foreign.map((f) => [f.id, f.campaign_id])),
  }).filter((p) => p.queueId === undefined || p.queueId === queueId);
  if (hasErrors(problems)) throw invalid(problems);
  return problems;
}

async function writeQueue(trx: Transaction<Database>, campaignId: string, queueId: string, input: QueueInput, existing: boolean): Promise<void> {
  const { config } = input;
  const clash = await trx.selectFrom('queues').select('id').where('campaign_id', '=', campaignId).where('name', '=', config.name).where('id', '!=', queueId).executeTakeFirst();
  if (clash) throw new HubError('HUB_ERR_CONFLICT', `Ya existe una fila «${config.name}» en la campaña / a queue named "${config.name}" already exists in this campaign`);
  // One default per campaign (queues_one_default_idx): the previous one steps down first.
  if (input.isDefault) {
    await trx.updateTable('queues').set({ is_default: false, updated_at: sql`now()` }).where('campaign_id', '=', campaignId).where('is_default', '=', true).where('id', '!=', queueId).execute();
  }
  const values = {
    name: config.name,
    priority: config.priority,
    strategy: config.strategy,
    max_wait_seconds: config.maxWaitSeconds ?? null,
    channel_classes: [...config.channelClasses],
    overflow: JSON.stringify(config.overflow),
    after_hours: JSON.stringify(config.afterHours),
    tier: input.tier,
    is_default: input.isDefault,
  };
  if (existing) {
    await trx.updateTable('queues').set({ ...values, updated_at: sql`now()` }).where('id', '=', queueId).execute();
    await trx.deleteFrom('queue_skills').where('queue_id', '=', queueId).execute();
  } else {
    await trx.insertInto('queues').values({ id: queueId, campaign_id: campaignId, settings: '{}', ...values }).execute();
  }
  if (config.requiredSkills.length > 0) {
    await trx.insertInto('queue_skills').values(config.requiredSkills.map((s) => ({ queue_id: queueId, skill_id: s.skillId, min_level: s.minLevel }))).execute();
  }
}

const countWhere = (status: 'queued' | 'offered' | 'assigned') => sql<number>`(count(*) FILTER (WHERE status = ${status}))::int`;

async function queueViews(db: Db, campaignId: string, onlyId?: string): Promise<QueueView[]> {
  const queues = [...(await loadRoutingQueues(db, [campaignId])).values()].filter((q) => onlyId === undefined || q.id === onlyId);
  if (queues.length === 0) return [];
  const counts = await db
    .selectFrom('conversations')
    .select(['queue_id', countWhere('queued').as('waiting'), countWhere('offered').as('offered'), countWhere('assigned').as('assigned')])
    .where('queue_id', 'in', queues.map((q) => q.id))
    .where('closed_at', 'is', null)
    .groupBy('queue_id')
    .execute();
  const live = new Map(counts.map((c) => [c.queue_id, { waiting: c.waiting, offered: c.offered, assigned: c.assigned }]));
  return queues
    .sort((a, b) => a.config.priority - b.config.priority || a.config.name.localeCompare(b.config.name, 'es'))
    .map((q) => toQueueView(q, live.get(q.id) ?? { waiting: 0, offered: 0, assigned: 0 }));
}

function toQueueView({ id, campaignId, tier, isDefault, config }: RoutingQueueRow, live: QueueView['live']): QueueView {
  return {
    id,
    campaignId,
    name: config.name,
    priority: config.priority,
    requiredSkills: config.requiredSkills.map((s) => ({ skillId: s.skillId, minLevel: s.minLevel })),
    strategy: config.strategy,
    maxWaitSeconds: config.maxWaitSeconds ?? null,
    channelClasses: [...config.channelClasses],
    overflow: config.overflow.map((s) => ({ trigger: { ...s.trigger }, action: { ...s.action } })),
    afterHours: { mode: config.afterHours.mode, message: { ...config.afterHours.message } },
    tier,
    isDefault,
    live,
  };
}

/** Why a queue cannot be deleted now, or null. */
async function deleteBlocker(trx: Transaction<Database>, campaignId: string, queueId: string): Promise<string | null> {
  const open = await trx
    .selectFrom('conversations')
    .select([countWhere('queued').as('waiting'), sql<number>`count(*)::int`.as('open')])
    .where('queue_id', '=', queueId)
    .where('closed_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (open.open > 0) {
    const [waiting, serving] = [open.waiting, open.open - open.waiting];
    return `La fila tiene ${waiting} conversaciones en espera y ${serving} en atención; muévalas o espere a que terminen / the queue holds ${waiting} waiting and ${serving} in-service conversations; move them or wait until they end`;
  }
  const queues = [...(await loadRoutingQueues(trx, [campaignId])).values()];
  const feeders = queues.filter((q) => q.id !== queueId && q.config.overflow.some((s) => 'moveToQueueId' in s.action && s.action.moveToQueueId === queueId));
  if (feeders.length > 0) {
    const names = feeders.map((q) => `«${q.config.name}»`).join(', ');
    return `El desborde de ${names} mueve conversaciones a esta fila; cambie ese desborde primero / the overflow of ${names} moves conversations into this queue; change it first`;
  }
  const channels = await trx.selectFrom('channels').select('name').where('campaign_id', '=', campaignId).where(sql<boolean>`settings->>'queueId' = ${queueId}`).execute();
  if (channels.length > 0) {
    const names = channels.map((c) => `«${c.name}»`).join(', ');
    return `Los canales ${names} envían sus conversaciones a esta fila / channels ${names} send their conversations to this queue`;
  }
  // Closed conversations and offers keep pointing at their queue (reports by queue need its row).
  const served =
    (await trx.selectFrom('conversations').select('id').where('queue_id', '=', queueId).limit(1).executeTakeFirst()) ??
    (await trx.selectFrom('offers').select('id').where('queue_id', '=', queueId).limit(1).executeTakeFirst());
  if (served) return 'La fila ya atendió conversaciones y su historial la conserva; no puede borrarse / the queue has served conversations and its history keeps it; it cannot be deleted';
  return null;
}

/** Admins may administer any agent; supervisors the agents who share one of their campaigns. Returns the agent's campaigns. */
async function agentMemberships(db: Db, principal: Principal, agentId: string): Promise<string[]> {
  authorize(principal, ADMIN_OR_SUPERVISOR);
  const user = await db.selectFrom('users').select(['id', 'roles']).where('id', '=', agentId).executeTakeFirst();
  if (!user) throw new HubError('HUB_ERR_USER_NOT_FOUND');
  const memberships = (await db.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', agentId).execute()).map((m) => m.campaign_id);
  if (!hasRole(principal, ['admin']) && !memberships.some((c) => canAccessCampaign(principal, c))) throw new HubError('HUB_ERR_FORBIDDEN_CAMPAIGN');
  if (!user.roles.includes('agent')) throw new HubError('HUB_ERR_AGENT_NOT_AGENT');
  return memberships;
}

async function agentSkillsOf(db: Db, agentIds: readonly string[], campaignId: string) {
  if (agentIds.length === 0) return [];
  return db
    .selectFrom('agent_skills as a')
    .innerJoin('skills as k', 'k.id', 'a.skill_id')
    .select(['a.user_id as agentId', 'a.skill_id as skillId', 'k.name', 'a.level'])
    .where('a.user_id', 'in', agentIds)
    .where('k.campaign_id', '=', campaignId)
    .orderBy('k.name')
    .execute();
}

/** Problems with skills that are not the campaign's, by position in the request. */
async function foreignSkillProblems(db: Db, campaignId: string, skillIds: readonly string[]): Promise<RoutingProblem[]> {
  const known = skillIds.length > 0 ? await db.selectFrom('skills').select(['id', 'campaign_id']).where('id', 'in', skillIds).execute() : [];
  const ownerOf = new Map(known.map((k) => [k.id, k.campaign_id]));
  return skillIds.flatMap((id, i): RoutingProblem[] => {
    const owner = ownerOf.get(id);
    if (owner === campaignId) return [];
    const message = owner === undefined ? bilingual(`habilidad desconocida: ${id}`, `unknown skill: ${id}`) : bilingual(`la habilidad ${id} es de otra campaña`, `skill ${id} belongs to another campaign`);
    return [{ path: `skills.${i}.skillId`, message, severity: 'error' }];
  });
}

interface AuditInput {
  campaignId: string | null;
  targetType: 'skill' | 'queue' | 'campaign' | 'user';
  targetId: string;
  change: Extract<AuditAction, `routing.${string}`>;
  details: Record<string, unknown>;
}

async function audit(trx: Transaction<Database>, request: FastifyRequest, principal: Principal, entry: AuditInput): Promise<void> {
  const { campaignId, targetType, targetId, change, details } = entry;
  await recordAudit(trx, { action: change, actorUserId: principal.userId, targetType, targetId, campaignId, ...requestMeta(request), details });
}

export function routingAdminRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['routing-admin'];

    app.get(
      '/campaigns/:id/skills',
      { schema: { tags, summary: 'Habilidades de la campaña / skills of a campaign', params: idParams, response: { 200: z.object({ items: z.array(skillSchema) }) } } },
      async (request) => {
        authorize(principalOf(request), STAFF_ROLES, request.params.id);
        await assertCampaignExists(db, request.params.id);
        const rows = await db.selectFrom('skills').select(['id', 'campaign_id', 'name']).where('campaign_id', '=', request.params.id).orderBy('name').execute();
        return { items: rows.map((r) => ({ id: r.id, campaignId: r.campaign_id, name: r.name })) };
      },
    );

    app.post(
      '/campaigns/:id/skills',
      { schema: { tags, summary: 'Crear habilidad (admin) / create a skill', params: idParams, body: documented(skillBody), response: { 201: skillSchema } } },
      async (request, reply) => {
        const principal = principalOf(request);
        const campaignId = request.params.id;
        authorize(principal, ['admin'], campaignId);
        const { name } = valueOf(parseWith(skillBody, request.body));
        const skill = await db.transaction().execute(async (trx) => {
          await lockCampaign(trx, campaignId);
          const taken = await trx.selectFrom('skills').select('id').where('campaign_id', '=', campaignId).where('name', '=', name).executeTakeFirst();
          if (taken) throw new HubError('HUB_ERR_CONFLICT', `La habilidad «${name}» ya existe en la campaña / skill "${name}" already exists in this campaign`);
          const row = await trx.insertInto('skills').values({ campaign_id: campaignId, name }).returning('id').executeTakeFirstOrThrow();
          await audit(trx, request, principal, { campaignId, targetType: 'skill', targetId: row.id, change: 'routing.skill_created', details: { name } });
          return { id: row.id, campaignId, name };
        });
        return reply.status(201).send(skill);
      },
    );

    app.get(
      '/campaigns/:id/queues',
      {
        schema: { tags, summary: 'Filas de la campaña, su configuración y cifras en vivo / queues, their configuration and live figures', params: idParams, response: { 200: z.object({ items: z.array(queueViewSchema) }) } },
      },
      async (request) => {
        authorize(principalOf(request), STAFF_ROLES, request.params.id);
        await assertCampaignExists(db, request.params.id);
        return { items: await queueViews(db, request.params.id) };
      },
    );

    /** Create (queueId null) or fully replace a queue: validated against the campaign as it would be, audited, then the router kicked. */
    async function saveQueue(request: FastifyRequest, campaignId: string, existingId: string | null) {
      const principal = principalOf(request);
      authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
      const input = parseQueueBody(request.body);
      const queueId = existingId ?? randomUUID();
      const warnings = await db.transaction().execute(async (trx) => {
        await lockCampaign(trx, campaignId);
        const before = (await loadRoutingQueues(trx, [campaignId])).get(queueId);
        if (existingId !== null && !before) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND');
        const found = await validateQueueChange(trx, campaignId, queueId, input.config);
        await writeQueue(trx, campaignId, queueId, input, before !== undefined);
        const details = { ...(before ? { before: { config: before.config, tier: before.tier, isDefault: before.isDefault } } : {}), after: input };
        await audit(trx, request, principal, { campaignId, targetType: 'queue', targetId: queueId, change: before ? 'routing.queue_updated' : 'routing.queue_created', details });
        return found;
      });
      ctx.router.kick();
      const [view] = await queueViews(db, campaignId, queueId);
      if (!view) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND');
      return { ...view, warnings };
    }

    const queueBody = documented(queueConfigSchema.extend(queueExtras.shape));
    app.post(
      '/campaigns/:id/queues',
      { schema: { tags, summary: 'Crear fila (admin o supervisor de la campaña) / create a queue', params: idParams, body: queueBody, response: { 201: queueWriteResponse } } },
      async (request, reply) => reply.status(201).send(await saveQueue(request, request.params.id, null)),
    );

    app.put(
      '/queues/:queueId',
      { schema: { tags, summary: 'Reemplazar la configuración de una fila / replace a queue’s configuration', params: queueParams, body: queueBody, response: { 200: queueWriteResponse } } },
      async (request) => saveQueue(request, await campaignOfQueue(db, request.params.queueId), request.params.queueId),
    );

    app.delete(
      '/queues/:queueId',
      { schema: { tags, summary: 'Borrar una fila sin conversaciones ni desbordes hacia ella / delete a queue nothing waits in or overflows into', params: queueParams, response: { 204: noContent } } },
      async (request, reply) => {
        const principal = principalOf(request);
        const { queueId } = request.params;
        const campaignId = await campaignOfQueue(db, queueId);
        authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
        await db.transaction().execute(async (trx) => {
          await lockCampaign(trx, campaignId);
          const before = (await loadRoutingQueues(trx, [campaignId])).get(queueId);
          if (!before) throw new HubError('HUB_ERR_QUEUE_NOT_FOUND');
          const blocker = await deleteBlocker(trx, campaignId, queueId);
          if (blocker) throw new HubError('HUB_ERR_CONFLICT', blocker);
          await trx.deleteFrom('queues').where('id', '=', queueId).execute();
          const details = { before: { config: before.config, tier: before.tier, isDefault: before.isDefault } };
          await audit(trx, request, principal, { campaignId, targetType: 'queue', targetId: queueId, change: 'routing.queue_deleted', details });
        });
        ctx.router.kick();
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/campaigns/:id/routing',
      { schema: { tags, summary: 'Ajustes de enrutamiento de la campaña, con valores por omisión / campaign routing settings, defaults filled in', params: idParams, response: { 200: routingResponse } } },
      async (request) => {
        authorize(principalOf(request), READERS, request.params.id);
        const row = await db.selectFrom('campaigns').select(['id', 'routing']).where('id', '=', request.params.id).executeTakeFirst();
        if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
        return { campaignId: row.id, routing: parseStoredCampaignRouting(row.routing) };
      },
    );

    app.put(
      '/campaigns/:id/routing',
      {
        schema: { tags, summary: 'Reemplazar los ajustes de enrutamiento (admin) / replace the campaign routing settings', params: idParams, body: documented(campaignRoutingSchema), response: { 200: routingResponse } },
      },
      async (request) => {
        const principal = principalOf(request);
        const campaignId = request.params.id;
        authorize(principal, ['admin'], campaignId);
        const routing = valueOf(parseCampaignRouting(request.body));
        await db.transaction().execute(async (trx) => {
          await lockCampaign(trx, campaignId);
          const before = await trx.selectFrom('campaigns').select('routing').where('id', '=', campaignId).executeTakeFirstOrThrow();
          await trx.updateTable('campaigns').set({ routing: JSON.stringify(routing), updated_at: sql`now()` }).where('id', '=', campaignId).execute();
          // Default capacities may have changed: recompute the seats of the campaign's agents.
          const members = await trx.selectFrom('user_campaigns').select('user_id').where('campaign_id', '=', campaignId).execute();
          await syncAgentSeats(trx, members.map((m) => m.user_id));
          const details = { before: parseStoredCampaignRouting(before.routing), after: routing };
          await audit(trx, request, principal, { campaignId, targetType: 'campaign', targetId: campaignId, change: 'routing.settings_updated', details });
        });
        ctx.router.kick();
        return { campaignId, routing };
      },
    );

    app.get(
      '/campaigns/:id/agents',
      {
        schema: { tags, summary: 'Agentes de la campaña en vivo: estado, carga, capacidad, habilidades / live seats of the campaign’s agents', params: idParams, response: { 200: z.object({ items: z.array(agentViewSchema) }) } },
      },
      async (request) => {
        const campaignId = request.params.id;
        authorize(principalOf(request), READERS, campaignId);
        await assertCampaignExists(db, campaignId);
        const agents = await db
          .selectFrom('users as u')
          .innerJoin('user_campaigns as m', 'm.user_id', 'u.id')
          .select(['u.id', 'u.display_name', 'u.email'])
          .where('m.campaign_id', '=', campaignId)
          .where(sql<boolean>`'agent' = ANY(u.roles)`)
          .where('u.disabled', '=', false)
          .orderBy('u.display_name')
          .execute();
        const ids = agents.map((a) => a.id);
        if (ids.length === 0) return { items: [] };
        const [seats, skills, memberships] = await Promise.all([
          db.selectFrom('agent_seats').selectAll().where('user_id', 'in', ids).execute(),
          agentSkillsOf(db, ids, campaignId),
          db.selectFrom('user_campaigns').select(['user_id', 'campaign_id']).where('user_id', 'in', ids).execute(),
        ]);
        const seatOf = new Map(seats.map((s) => [s.user_id, toSeatView(s)]));
        // An agent who never logged in has no seat yet: show the capacity the seat will get.
        const routing = await loadCampaignRouting(db, memberships.map((m) => m.campaign_id));
        const defaultsOf = (id: string) => memberships.filter((m) => m.user_id === id).flatMap((m) => routing.get(m.campaign_id)?.capacity ?? []);
        const items = agents.map((a) => {
          const seat = seatOf.get(a.id);
          return {
            agentId: a.id,
            displayName: a.display_name,
            email: a.email,
            state: seat?.state ?? 'offline',
            stateSince: seat?.stateSince ?? null,
            stateReason: seat?.stateReason ?? null,
            seatType: seat?.seatType ?? 'PS-I',
            load: seat?.load ?? { text: 0, voice: 0, email: 0 },
            capacity: seat?.capacity ?? seatCapacity(defaultsOf(a.id), {}),
            capacityOverride: seat?.capacityOverride ?? {},
            skills: skills.filter((s) => s.agentId === a.id).map(({ skillId, name, level }) => ({ skillId, name, level })),
          };
        });
        return { items };
      },
    );

    app.put(
      '/agents/:id/skills',
      { schema: { tags, summary: 'Reemplazar en vivo las habilidades de un agente en una campaña / replace an agent’s skills in a campaign, live', params: idParams, body: documented(agentSkillsBody), response: { 200: agentSkillsResponse } } },
      async (request) => {
        const principal = principalOf(request);
        const agentId = request.params.id;
        authorize(principal, ADMIN_OR_SUPERVISOR);
        const body = valueOf(parseWith(agentSkillsBody, request.body));
        const { campaignId } = body;
        authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
        await assertCampaignExists(db, campaignId);
        if (!(await agentMemberships(db, principal, agentId)).includes(campaignId)) {
          throw new HubError('HUB_ERR_AGENT_NOT_AGENT', 'El usuario no es agente de esta campaña; agréguelo primero / the user is not an agent of this campaign; add them first');
        }
        const problems = await foreignSkillProblems(db, campaignId, body.skills.map((s) => s.skillId));
        if (problems.length > 0) throw invalid(problems);
        const skills = await db.transaction().execute(async (trx) => {
          await lockCampaign(trx, campaignId);
          const view = async () => (await agentSkillsOf(trx, [agentId], campaignId)).map(({ skillId, name, level }) => ({ skillId, name, level }));
          const before = await view();
          const campaignSkills = trx.selectFrom('skills').select('id').where('campaign_id', '=', campaignId);
          await trx.deleteFrom('agent_skills').where('user_id', '=', agentId).where('skill_id', 'in', campaignSkills).execute();
          if (body.skills.length > 0) await trx.insertInto('agent_skills').values(body.skills.map((s) => ({ user_id: agentId, skill_id: s.skillId, level: s.level }))).execute();
          const after = await view();
          await audit(trx, request, principal, { campaignId, targetType: 'user', targetId: agentId, change: 'routing.agent_skills_set', details: { before, after } });
          return after;
        });
        ctx.router.kick();
        return { agentId, campaignId, skills };
      },
    );

    app.put(
      '/agents/:id/capacity',
      { schema: { tags, summary: capacitySummary, params: idParams, body: documented(capacityBody), response: { 200: capacityResponse } } },
      async (request) => {
        const principal = principalOf(request);
        const agentId = request.params.id;
        const memberships = await agentMemberships(db, principal, agentId);
        const body = request.body;
        const given = isPlainObject(body) ? { ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null)), agentId } : body;
        const { agentId: _, ...override } = valueOf(parseAgentCapacityOverride(given));
        const seat = await db.transaction().execute(async (trx) => {
          const before = await trx.selectFrom('agent_seats').select('capacity_override').where('user_id', '=', agentId).forUpdate().executeTakeFirst();
          const stored = JSON.stringify(override);
          await trx
            .insertInto('agent_seats')
            .values({ user_id: agentId, capacity_override: stored })
            .onConflict((oc) => oc.column('user_id').doUpdateSet({ capacity_override: stored, updated_at: sql`clock_timestamp()` }))
            .execute();
          await syncAgentSeats(trx, [agentId]);
          // The capacity is the seat's, shared by every campaign the agent serves: each campaign's log shows it.
          for (const campaignId of memberships.length > 0 ? memberships : [null]) {
            const details = { before: before?.capacity_override ?? {}, after: override };
            await audit(trx, request, principal, { campaignId, targetType: 'user', targetId: agentId, change: 'routing.agent_capacity_set', details });
          }
          return toSeatView(await trx.selectFrom('agent_seats').selectAll().where('user_id', '=', agentId).executeTakeFirstOrThrow());
        });
        ctx.router.kick();
        const warnings = CHANNEL_CLASSES.filter((c) => seat.load[c] > seat.capacity[c]).map(
          (c): RoutingProblem => ({
            path: c,
            severity: 'warning',
            message: bilingual(
              `el agente atiende ${seat.load[c]} sesiones de ${CLASS_NAMES_ES[c]}, más que la nueva capacidad (${seat.capacity[c]}); no recibirá más hasta bajar de ella`,
              `the agent holds ${seat.load[c]} ${c} sessions, above the new capacity (${seat.capacity[c]}); no more are offered until below it`,
            ),
          }),
        );
        const { state, stateSince, load, capacity, capacityOverride } = seat;
        return { agentId, state, stateSince, load, capacity, capacityOverride, warnings };
      },
    );
  };
}
