import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isChannelKind } from '@ventanilla/connectors/core';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { authorize, campaignScope, STAFF_ROLES } from '../auth/principal.js';
import type { Channel } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { SECRET_MAX_LENGTH, secretPolicyOf } from './channel-secrets.js';
import { channelValidationError, parseChannelSettings } from './channel-settings.js';

const campaignSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  folioPrefix: z.string(),
  timeZone: z.string(),
  settings: z.record(z.string(), z.unknown()),
});

const channelSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  kind: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  webhookPath: z.string(),
  /** The secrets this kind needs, and which of them have a stored value (values are never read back). */
  secretNames: z.array(z.string()),
  secretsSet: z.array(z.string()),
  /** 'generated': the hub issues them (rotateSecrets); 'provided': the admin types them (secrets). */
  secretSource: z.enum(['generated', 'provided']),
  /** Only in the response that created or rotated hub-generated secrets; typed-in passwords are never echoed. */
  secrets: z.record(z.string(), z.string()).optional(),
});

/** Passwords of the channel's own servers (e-mail), typed by the admin; names per the adapter's secretNames. */
const givenSecretsSchema = z.record(z.string(), z.string().min(1).max(SECRET_MAX_LENGTH)).optional();

const idParams = z.object({ id: z.uuid() });

/** `shown` is passed only right after the hub generated secrets; it is dropped when empty. */
function channelView(row: Channel, shown?: Record<string, string>) {
  const policy = secretPolicyOf(row.kind);
  return {
    id: row.id,
    campaignId: row.campaign_id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    settings: row.settings,
    webhookPath: `/webhooks/${row.kind}/${row.id}`,
    secretNames: [...policy.names],
    secretsSet: policy.setIn(row.secrets),
    secretSource: policy.source,
    ...(shown && Object.keys(shown).length > 0 ? { secrets: shown } : {}),
  };
}

/**
 * `settings.queueId` is the hub's, not the adapter's: the queue a channel's new conversations
 * land in (router intake). It must be a queue of the channel's campaign; null removes it.
 */
async function routingSettings(db: HubContext['db']['kysely'], campaignId: string, settings: Record<string, unknown>, previous: unknown): Promise<{ queueId?: string }> {
  if (!('queueId' in settings)) return typeof previous === 'string' ? { queueId: previous } : {};
  const queueId = settings['queueId'];
  if (queueId === null) return {};
  const found =
    typeof queueId === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(queueId)
      ? await db.selectFrom('queues').select('id').where('id', '=', queueId).where('campaign_id', '=', campaignId).executeTakeFirst()
      : undefined;
  // With the field's path in `details`, the admin console shows it next to the queue select.
  if (!found) throw channelValidationError([{ path: 'settings.queueId', message: "la fila no existe en la campaña del canal / the queue is not in the channel's campaign" }]);
  return { queueId: found.id };
}

/** Campaigns and their channels: read by staff of the campaign, changed by admins (audited). */
export function campaignsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;

    app.get(
      '/campaigns',
      { schema: { tags: ['campaigns'], summary: 'Campañas visibles / campaigns the caller belongs to', response: { 200: z.object({ items: z.array(campaignSchema) }) } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, STAFF_ROLES);
        const scope = campaignScope(principal);
        if (scope !== null && scope.length === 0) return { items: [] };
        let query = db.selectFrom('campaigns').selectAll().orderBy('name');
        if (scope !== null) query = query.where('id', 'in', scope);
        const rows = await query.execute();
        return { items: rows.map((c) => ({ id: c.id, slug: c.slug, name: c.name, folioPrefix: c.folio_prefix, timeZone: c.time_zone, settings: c.settings })) };
      },
    );

    app.post(
      '/campaigns',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'Crear campaña (admin) / create a campaign',
          body: z.object({
            slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'minúsculas, dígitos y guiones / lower-case, digits and dashes'),
            name: z.string().trim().min(2).max(120),
            folioPrefix: z.string().regex(/^[A-Z]{2,5}$/, '2 a 5 letras mayúsculas / 2-5 upper-case letters'),
            timeZone: z.string().default('America/Mexico_City'),
          }),
          response: { 201: campaignSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, ['admin']);
        const body = request.body;
        if (!Intl.supportedValuesOf('timeZone').includes(body.timeZone)) throw new HubError('HUB_ERR_VALIDATION', `Zona horaria desconocida / unknown time zone: ${body.timeZone}`);
        const taken = await db.selectFrom('campaigns').select('id').where((eb) => eb.or([eb('slug', '=', body.slug), eb('folio_prefix', '=', body.folioPrefix)])).executeTakeFirst();
        if (taken) throw new HubError('HUB_ERR_CONFLICT', 'El identificador o el prefijo de folio ya existen / slug or folio prefix already taken');
        const created = await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('campaigns')
            .values({ slug: body.slug, name: body.name, folio_prefix: body.folioPrefix, time_zone: body.timeZone, settings: '{}' })
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, {
            action: 'campaign.created',
            actorUserId: principal.userId,
            targetType: 'campaign',
            targetId: row.id,
            campaignId: row.id,
            ...requestMeta(request),
            details: { slug: row.slug, folioPrefix: row.folio_prefix },
          });
          return row;
        });
        return reply.status(201).send({ id: created.id, slug: created.slug, name: created.name, folioPrefix: created.folio_prefix, timeZone: created.time_zone, settings: created.settings });
      },
    );

    app.patch(
      '/campaigns/:id',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'Cambiar nombre o zona horaria (admin) / rename a campaign or change its time zone',
          params: idParams,
          body: z.object({ name: z.string().trim().min(2).max(120).optional(), timeZone: z.string().optional() }),
          response: { 200: campaignSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ['admin'], request.params.id);
        const body = request.body;
        if (body.timeZone && !Intl.supportedValuesOf('timeZone').includes(body.timeZone)) {
          throw new HubError('HUB_ERR_VALIDATION', `Zona horaria desconocida / unknown time zone: ${body.timeZone}`);
        }
        const row = await db.transaction().execute(async (trx) => {
          const before = await trx.selectFrom('campaigns').selectAll().where('id', '=', request.params.id).forUpdate().executeTakeFirst();
          if (!before) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
          const after = await trx
            .updateTable('campaigns')
            .set({ ...(body.name ? { name: body.name } : {}), ...(body.timeZone ? { time_zone: body.timeZone } : {}), updated_at: new Date() })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, {
            action: 'campaign.updated',
            actorUserId: principal.userId,
            targetType: 'campaign',
            targetId: before.id,
            campaignId: before.id,
            ...requestMeta(request),
            details: { before: { name: before.name, timeZone: before.time_zone }, after: { name: after.name, timeZone: after.time_zone } },
          });
          return after;
        });
        return { id: row.id, slug: row.slug, name: row.name, folioPrefix: row.folio_prefix, timeZone: row.time_zone, settings: row.settings };
      },
    );

    app.get(
      '/campaigns/:id/channels',
      { schema: { tags: ['campaigns'], summary: 'Canales de la campaña / channels of a campaign', params: idParams, response: { 200: z.object({ items: z.array(channelSchema) }) } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ['admin', 'supervisor', 'auditor'], request.params.id);
        const rows = await db.selectFrom('channels').selectAll().where('campaign_id', '=', request.params.id).orderBy('created_at').execute();
        return { items: rows.map((row) => channelView(row)) };
      },
    );

    app.post(
      '/campaigns/:id/channels',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'Crear canal (admin); devuelve una sola vez el secreto que genera el hub / create a channel; a hub-generated secret is shown once',
          params: idParams,
          body: z.object({ kind: z.string(), name: z.string().trim().min(2).max(120), settings: z.record(z.string(), z.unknown()).default({}), secrets: givenSecretsSchema }),
          response: { 201: channelSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, ['admin'], request.params.id);
        const { kind, name, settings } = request.body;
        if (!isChannelKind(kind)) throw new HubError('HUB_ERR_VALIDATION', `Tipo de canal desconocido / unknown channel kind: ${kind}`);
        const parsed = parseChannelSettings(kind, settings);
        const policy = secretPolicyOf(kind);
        const given = policy.accept(request.body.secrets);
        const campaign = await db.selectFrom('campaigns').select('id').where('id', '=', request.params.id).executeTakeFirst();
        if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
        const generated = policy.generate();
        const secrets = { ...generated, ...given };
        const stored = { ...parsed, ...(await routingSettings(db, campaign.id, settings, undefined)) };
        const row = await db.transaction().execute(async (trx) => {
          const channel = await trx
            .insertInto('channels')
            .values({ campaign_id: campaign.id, kind, name, settings: JSON.stringify(stored), secrets: JSON.stringify(secrets) })
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, {
            action: 'channel.created',
            actorUserId: principal.userId,
            targetType: 'channel',
            targetId: channel.id,
            campaignId: campaign.id,
            ...requestMeta(request),
            details: { kind, name, secretsSet: Object.keys(secrets) },
          });
          return channel;
        });
        return reply.status(201).send(channelView(row, generated));
      },
    );

    app.patch(
      '/channels/:id',
      {
        schema: {
          tags: ['campaigns'],
          summary: 'Cambiar canal (admin); rotateSecrets emite secretos nuevos, secrets reemplaza contraseñas / update a channel; rotateSecrets issues new hub secrets, secrets replaces typed-in passwords',
          params: idParams,
          body: z.object({ name: z.string().trim().min(2).max(120).optional(), enabled: z.boolean().optional(), settings: z.record(z.string(), z.unknown()).optional(), rotateSecrets: z.boolean().optional(), secrets: givenSecretsSchema }),
          response: { 200: channelSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const current = await db.selectFrom('channels').selectAll().where('id', '=', request.params.id).executeTakeFirst();
        if (!current) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
        authorize(principal, ['admin'], current.campaign_id);
        const body = request.body;
        let settings = current.settings;
        if (body.settings && isChannelKind(current.kind)) {
          settings = { ...parseChannelSettings(current.kind, body.settings), ...(await routingSettings(db, current.campaign_id, body.settings, current.settings['queueId'])) };
        }
        const policy = secretPolicyOf(current.kind);
        // Given names replace the stored ones; names not sent keep their value (a form that
        // leaves a password field empty must not erase the password).
        const given = policy.accept(body.secrets);
        if (body.rotateSecrets) policy.assertRotatable();
        const generated = body.rotateSecrets ? policy.generate() : undefined;
        const secrets = generated ?? (Object.keys(given).length > 0 ? { ...current.secrets, ...given } : undefined);
        const row = await db.transaction().execute(async (trx) => {
          const updated = await trx
            .updateTable('channels')
            .set({
              ...(body.name ? { name: body.name } : {}),
              ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
              settings: JSON.stringify(settings),
              ...(secrets ? { secrets: JSON.stringify(secrets) } : {}),
              updated_at: new Date(),
            })
            .where('id', '=', current.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await recordAudit(trx, {
            action: 'channel.updated',
            actorUserId: principal.userId,
            targetType: 'channel',
            targetId: current.id,
            campaignId: current.campaign_id,
            ...requestMeta(request),
            details: { before: { name: current.name, enabled: current.enabled, settings: current.settings }, after: { name: updated.name, enabled: updated.enabled, settings: updated.settings }, secretsRotated: Boolean(generated), secretsReplaced: Object.keys(given) },
          });
          return updated;
        });
        ctx.channels.invalidate(row.id);
        return reply.send(channelView(row, generated));
      },
    );
  };
}
