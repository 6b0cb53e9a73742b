import { sql, type Kysely } from 'kysely';
import type { Database, Role } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import type { Principal } from './principal.js';
import { verifyAccessToken } from './access-token.js';

export async function loadPrincipal(db: Kysely<Database>, userId: string): Promise<Principal> {
  const row = await db
    .selectFrom('users')
    .where('users.id', '=', userId)
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.roles',
      'users.disabled',
      sql<string[]>`coalesce((SELECT array_agg(campaign_id::text) FROM user_campaigns uc WHERE uc.user_id = users.id), '{}')`.as(
        'campaign_ids',
      ),
    ])
    .executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID');
  if (row.disabled) throw new HubError('HUB_ERR_USER_DISABLED');
  return { userId: row.id, email: row.email, displayName: row.display_name, roles: row.roles as Role[], campaignIds: row.campaign_ids };
}

/** Bearer token → principal, or an auth error; shared by REST and socket.io. */
export async function authenticateToken(db: Kysely<Database>, secret: string, token: string | undefined): Promise<Principal & { sessionId: string }> {
  if (!token) throw new HubError('HUB_ERR_AUTH_REQUIRED');
  const claims = await verifyAccessToken(secret, token);
  const principal = await loadPrincipal(db, claims.userId);
  return { ...principal, sessionId: claims.sessionId };
}
