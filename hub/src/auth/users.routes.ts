import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { ROLES, type Database, type Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import { userSchema } from './user.schema.js';
import type { HubContext } from '../runtime/context.js';
import { hashPassword, passwordProblems } from './password.js';
import { LoginGuard } from './login-guard.js';
import { authorize, campaignScope } from './principal.js';
import { revokeAllSessions } from './refresh-tokens.js';
import { deleteTotp } from './totp/totp-store.js';

type Db = Kysely<Database> | Transaction<Database>;

const ADMIN: readonly Role[] = ['admin'];
const READERS: readonly Role[] = ['admin', 'supervisor'];

/** Roles in catalogue order, without duplicates: stored and audited the same way every time. */
const roleSet = z
  .array(z.enum(ROLES))
  .min(1)
  .max(ROLES.length * 2)
  .transform((roles) => ROLES.filter((role) => roles.includes(role)));
const campaignIdSet = z
  .array(z.uuid())
  .max(500)
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]);


const createBody = z
  .object({
    email: z.email().max(254).transform((email) => email.toLowerCase()),
    displayName: z.string().trim().min(1).max(120),
    password: z.string().max(1024),
    roles: roleSet,
    campaignIds: campaignIdSet.default([]),
    locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).default('es-MX'),
  })
  .superRefine((body, ctx) => {
    for (const message of passwordProblems(body.password, body.email)) ctx.addIssue({ code: 'custom', path: ['password'], message });
  });

const passwordBody = z.object({ password: z.string().max(1024).describe('La nueva contraseña / the new password (staff password policy)') });

const patchBody = z
  .object({ displayName: z.string().trim().min(1).max(120), roles: roleSet, disabled: z.boolean() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'nada que cambiar / nothing to change');

const idParams = z.object({ id: z.uuid() });
const listQuery = z.object({
  campaignId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Users with memberships; `scope` = campaigns the caller may see (null = all, admin). */
async function findUsers(db: Db, options: { scope: string[] | null; ids?: string[]; campaignId?: string; limit?: number; offset?: number }) {
  const { scope } = options;
  if (scope?.length === 0 || options.ids?.length === 0) return [];
  let query = db
    .selectFrom('users')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.roles',
      'users.locale',
      'users.disabled',
      'users.last_login_at',
      'users.created_at',
      sql<string[]>`coalesce((SELECT array_agg(uc.campaign_id::text ORDER BY uc.campaign_id) FROM user_campaigns uc WHERE uc.user_id = users.id), '{}')`.as(
        'campaign_ids',
      ),
    ])
    .orderBy('users.email')
    .limit(options.limit ?? 500)
    .offset(options.offset ?? 0);
  if (options.ids) query = query.where('users.id', 'in', options.ids);
  for (const campaigns of [scope, options.campaignId ? [options.campaignId] : null]) {
    if (campaigns) {
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('user_campaigns as m').select('m.user_id').whereRef('m.user_id', '=', 'users.id').where('m.campaign_id', 'in', campaigns)),
      );
    }
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    // A supervisor learns only the memberships in campaigns they belong to.
    campaignIds: scope ? row.campaign_ids.filter((id) => scope.includes(id)) : row.campaign_ids,
    locale: row.locale,
    disabled: row.disabled,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  }));
}

async function findUserOrThrow(db: Db, id: string, scope: string[] | null) {
  const [user] = await findUsers(db, { scope, ids: [id] });
  if (!user) throw new HubError('HUB_ERR_USER_NOT_FOUND');
  return user;
}

async function assertCampaignsExist(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db.selectFrom('campaigns').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !found.some((row) => row.id === id));
  if (missing.length > 0) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND', undefined, { missing });
}

async function lockUser(trx: Transaction<Database>, id: string) {
  const row = await trx.selectFrom('users').select(['id', 'email', 'roles', 'disabled']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_USER_NOT_FOUND');
  return row;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === '23505';
}

const diff = <T>(before: readonly T[], after: readonly T[]) => ({
  added: after.filter((x) => !before.includes(x)),
  removed: before.filter((x) => !after.includes(x)),
});

/** Staff accounts and campaign memberships (inside the authenticated /api/v1 scope). */
export function usersRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const guard = new LoginGuard(ctx.redis, ctx.config);

    app.get(
      '/users',
      { schema: { tags: ['users'], summary: 'Listar usuarios / list users (admin: all; supervisor: members of their campaigns)', querystring: listQuery, response: { 200: z.object({ items: z.array(userSchema) }) } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, READERS, request.query.campaignId);
        const items = await findUsers(db, { scope: campaignScope(principal), ...request.query });
        return { items };
      },
    );

    app.get(
      '/users/:id',
      { schema: { tags: ['users'], summary: 'Consultar usuario / get one user', params: idParams, response: { 200: userSchema } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, READERS);
        // Someone outside the caller's campaigns is "not found", not "forbidden": ids do not leak.
        return findUserOrThrow(db, request.params.id, campaignScope(principal));
      },
    );

    app.post(
      '/users',
      { schema: { tags: ['users'], summary: 'Crear usuario / create a user (admin)', body: createBody, response: { 201: userSchema } } },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN);
        const body = request.body;
        const passwordHash = await hashPassword(body.password);
        try {
          const id = await db.transaction().execute(async (trx) => {
            await assertCampaignsExist(trx, body.campaignIds);
            const user = await trx
              .insertInto('users')
              .values({ email: body.email, display_name: body.displayName, password_hash: passwordHash, roles: body.roles, locale: body.locale })
              .returning('id')
              .executeTakeFirstOrThrow();
            if (body.campaignIds.length > 0) {
              await trx.insertInto('user_campaigns').values(body.campaignIds.map((campaign_id) => ({ user_id: user.id, campaign_id }))).execute();
            }
            await recordAudit(trx, {
              action: 'user.created',
              actorUserId: principal.userId,
              targetType: 'user',
              targetId: user.id,
              ...requestMeta(request),
              details: { email: body.email, roles: body.roles, campaignIds: body.campaignIds },
            });
            return user.id;
          });
          return reply.status(201).send(await findUserOrThrow(db, id, null));
        } catch (error) {
          if (isUniqueViolation(error)) throw new HubError('HUB_ERR_CONFLICT', 'Ya existe un usuario con ese correo / a user with that email already exists');
          throw error;
        }
      },
    );

    app.patch(
      '/users/:id',
      { schema: { tags: ['users'], summary: 'Cambiar nombre, roles o estado / change display name, roles or disabled (admin)', params: idParams, body: patchBody, response: { 200: userSchema } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN);
        const { id } = request.params;
        const body = request.body;
        const meta = requestMeta(request);
        // An admin locking themselves out would leave nobody to undo it.
        if (id === principal.userId && (body.disabled === true || (body.roles && !body.roles.includes('admin')))) {
          throw new HubError('HUB_ERR_CONFLICT', 'No puede deshabilitarse ni quitarse el rol de administrador / you cannot disable yourself or drop your own admin role');
        }
        await db.transaction().execute(async (trx) => {
          const before = await lockUser(trx, id);
          await trx
            .updateTable('users')
            .set({
              ...(body.displayName === undefined ? {} : { display_name: body.displayName }),
              ...(body.roles === undefined ? {} : { roles: body.roles }),
              ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
              updated_at: sql<Date>`now()`,
            })
            .where('id', '=', id)
            .execute();
          const audit = { actorUserId: principal.userId, targetType: 'user', targetId: id, ...meta };
          const roleChange = body.roles ? diff(before.roles, body.roles) : { added: [], removed: [] };
          if (body.roles && (roleChange.added.length > 0 || roleChange.removed.length > 0)) {
            await recordAudit(trx, { ...audit, action: 'user.roles_changed', details: { email: before.email, before: before.roles, after: body.roles, ...roleChange } });
          }
          if (body.disabled === true && !before.disabled) {
            const sessionsRevoked = await revokeAllSessions(trx, id);
            await recordAudit(trx, { ...audit, action: 'user.disabled', details: { email: before.email, sessionsRevoked } });
          } else if (body.disabled === false && before.disabled) {
            await recordAudit(trx, { ...audit, action: 'user.enabled', details: { email: before.email } });
          }
        });
        // Open sockets joined rooms for the old roles/state: make them reconnect and re-check.
        if (body.roles !== undefined || body.disabled === true) ctx.publisher.disconnectUser(id);
        return findUserOrThrow(db, id, null);
      },
    );

    app.put(
      '/users/:id/campaigns',
      {
        schema: {
          tags: ['users'],
          summary: 'Reemplazar campañas del usuario / replace the campaign memberships of a user (admin)',
          params: idParams,
          body: z.object({ campaignIds: campaignIdSet }),
          response: { 200: userSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN);
        const { id } = request.params;
        const wanted = request.body.campaignIds;
        await db.transaction().execute(async (trx) => {
          const user = await lockUser(trx, id);
          await assertCampaignsExist(trx, wanted);
          const current = (await trx.selectFrom('user_campaigns').select('campaign_id').where('user_id', '=', id).execute()).map((row) => row.campaign_id);
          const { added, removed } = diff(current, wanted);
          if (removed.length > 0) await trx.deleteFrom('user_campaigns').where('user_id', '=', id).where('campaign_id', 'in', removed).execute();
          if (added.length > 0) await trx.insertInto('user_campaigns').values(added.map((campaign_id) => ({ user_id: id, campaign_id }))).execute();
          if (added.length > 0 || removed.length > 0) {
            await recordAudit(trx, {
              action: 'user.memberships_changed',
              actorUserId: principal.userId,
              targetType: 'user',
              targetId: id,
              ...requestMeta(request),
              details: { email: user.email, added, removed, after: wanted },
            });
          }
        });
        // Open sockets are in the old campaign rooms: make them reconnect with the new ones.
        ctx.publisher.disconnectUser(id);
        return findUserOrThrow(db, id, null);
      },
    );

    app.put(
      '/users/:id/password',
      {
        schema: {
          tags: ['users'],
          summary: 'Asignar una contraseña nueva / set a new password for a user (admin): ends their sessions and lifts a login lockout',
          params: idParams,
          body: passwordBody,
          response: { 204: z.null().describe('Sin contenido / no content') },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN);
        const { id } = request.params;
        const { email } = await findUserOrThrow(db, id, null);
        const problems = passwordProblems(request.body.password, email);
        if (problems.length > 0) {
          const details = problems.map((message) => ({ path: 'body.password', message }));
          throw new HubError('HUB_ERR_VALIDATION', `Contraseña rechazada / password rejected — ${problems.join('; ')}`, details);
        }
        const passwordHash = await hashPassword(request.body.password);
        await db.transaction().execute(async (trx) => {
          await lockUser(trx, id);
          await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
          const sessionsRevoked = await revokeAllSessions(trx, id);
          // Never the password, not even its hash.
          await recordAudit(trx, { action: 'user.password_changed', actorUserId: principal.userId, targetType: 'user', targetId: id, ...requestMeta(request), details: { email, sessionsRevoked } });
        });
        await guard.unlock(email);
        ctx.publisher.disconnectUser(id);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/users/:id/totp',
      {
        schema: {
          tags: ['users'],
          summary: 'Restablecer el segundo factor / reset a user\'s TOTP (admin): removes it and its recovery codes, ends their sessions',
          params: idParams,
          response: { 204: z.null().describe('Sin contenido / no content') },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN);
        const { id } = request.params;
        const { email } = await findUserOrThrow(db, id, null);
        await db.transaction().execute(async (trx) => {
          await lockUser(trx, id);
          const existed = await trx.selectFrom('user_totp').select('user_id').where('user_id', '=', id).executeTakeFirst();
          if (!existed) throw new HubError('HUB_ERR_AUTH_TOTP_NOT_ENABLED');
          const wasEnabled = await deleteTotp(trx, id);
          // A lost phone may be a stolen one: whoever holds it must not stay signed in.
          const sessionsRevoked = await revokeAllSessions(trx, id);
          await recordAudit(trx, { action: 'user.totp_reset', actorUserId: principal.userId, targetType: 'user', targetId: id, ...requestMeta(request), details: { email, wasEnabled, sessionsRevoked } });
        });
        ctx.publisher.disconnectUser(id);
        return reply.status(204).send(null);
      },
    );
  };
}
