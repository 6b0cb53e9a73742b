import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import type { Principal } from './principal.js';
import { verifyAccessToken } from './access-token.js';

// Claims are signed by us, but a uuid column compared with a non-uuid is a 500, not a 401.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** User, memberships and (when sessionId is given) whether that session is still live, in one query. */
async function principalRow(db: Kysely<Database>, userId: string, sessionId: string | null) {
  return db
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
      // A family with no live token was logged out, revoked for reuse, or expired.
      sql<boolean>`EXISTS (SELECT 1 FROM refresh_tokens rt WHERE rt.family_id = ${sessionId}::uuid AND rt.user_id = users.id
        AND rt.revoked_at IS NULL AND rt.expires_at > now())`.as('session_live'),
    ])
    .executeTakeFirst();
}

type Row = NonNullable<Awaited<ReturnType<typeof principalRow>>>;

function toPrincipal(row: Row): Principal {
  return { userId: row.id, email: row.email, displayName: row.display_name, roles: row.roles, campaignIds: row.campaign_ids };
}

export async function loadPrincipal(db: Kysely<Database>, userId: string): Promise<Principal> {
  if (!UUID.test(userId)) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID');
  const row = await principalRow(db, userId, null);
  if (!row) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID');
  if (row.disabled) throw new HubError('HUB_ERR_USER_DISABLED');
  return toPrincipal(row);
}

/** Bearer token → principal, or an auth error; shared by REST and socket.io. */
export async function authenticateToken(db: Kysely<Database>, secret: string, token: string | undefined): Promise<Principal & { sessionId: string }> {
  if (!token) throw new HubError('HUB_ERR_AUTH_REQUIRED');
  const claims = await verifyAccessToken(secret, token);
  if (!UUID.test(claims.userId) || !UUID.test(claims.sessionId)) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID');
  const row = await principalRow(db, claims.userId, claims.sessionId);
  if (!row) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID');
  if (row.disabled) throw new HubError('HUB_ERR_USER_DISABLED');
  // Access tokens are stateless JWTs; this check is what makes logout and reuse revocation immediate.
  if (!row.session_live) throw new HubError('HUB_ERR_AUTH_SESSION_REVOKED');
  return { ...toPrincipal(row), sessionId: claims.sessionId };
}
