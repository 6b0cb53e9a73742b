import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';

type Db = Kysely<Database> | Transaction<Database>;

/** 32 random bytes = 256 bits: not guessable, so a fast hash (not argon2) is enough to store it. */
const TOKEN_BYTES = 32;

export interface SessionMeta {
  ttlSeconds: number;
  ip?: string | null;
  userAgent?: string | null;
}

export interface IssuedRefreshToken {
  /** The opaque token: handed to the client once, never stored. */
  token: string;
  userId: string;
  /** Session id: every rotation stays in the family; access tokens carry it as `sid`. */
  familyId: string;
  expiresAt: Date;
}

export function generateRefreshToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Only this digest is stored, so a leaked table cannot be replayed as sessions. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

async function insertToken(db: Db, row: { id?: string; userId: string; familyId: string }, meta: SessionMeta): Promise<IssuedRefreshToken> {
  const token = generateRefreshToken();
  const expiresAt = new Date(Date.now() + meta.ttlSeconds * 1000);
  await db
    .insertInto('refresh_tokens')
    .values({
      ...(row.id ? { id: row.id } : {}),
      user_id: row.userId,
      family_id: row.familyId,
      token_hash: hashRefreshToken(token),
      expires_at: expiresAt,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent ?? null,
    })
    .execute();
  return { token, userId: row.userId, familyId: row.familyId, expiresAt };
}

/** Login: a new family (= session). Pass the login transaction so the session and its audit commit together. */
export function issueSession(db: Db, userId: string, meta: SessionMeta): Promise<IssuedRefreshToken> {
  return insertToken(db, { userId, familyId: randomUUID() }, meta);
}

/**
 * One-time use: the presented token is revoked and replaced by a new one in the same family.
 * The conditional UPDATE is the claim, so two concurrent uses of one token cannot both win.
 * A token that was already rotated is being replayed — by a thief or by the victim after the
 * thief used it first; we cannot tell which, so the whole family ends (OAuth 2.0 security BCP,
 * refresh-token rotation).
 */
export async function rotate(db: Kysely<Database>, token: string, meta: SessionMeta): Promise<IssuedRefreshToken> {
  const tokenHash = hashRefreshToken(token);
  const rotated = await db.transaction().execute(async (trx) => {
    const newId = randomUUID();
    const old = await trx
      .updateTable('refresh_tokens')
      .set({ revoked_at: sql<Date>`now()`, replaced_by: newId })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      // A disabled user's sessions are revoked when disabled; this closes the race with that.
      .where((eb) => eb.exists(eb.selectFrom('users').select('users.id').whereRef('users.id', '=', 'refresh_tokens.user_id').where('users.disabled', '=', false)))
      .returning(['user_id', 'family_id'])
      .executeTakeFirst();
    if (!old) return null;
    return insertToken(trx, { id: newId, userId: old.user_id, familyId: old.family_id }, meta);
  });
  if (rotated) return rotated;

  const known = await db
    .selectFrom('refresh_tokens')
    .select(['user_id', 'family_id', 'replaced_by'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (known?.replaced_by) {
    // Own transaction: the revocation and its audit must commit although the request fails.
    await db.transaction().execute(async (trx) => {
      const revoked = await revokeFamily(trx, known.family_id);
      await recordAudit(trx, {
        action: 'auth.refresh_reused',
        actorUserId: known.user_id,
        targetType: 'session',
        targetId: known.family_id,
        outcome: 'failure',
        ip: meta.ip ?? null,
        userAgent: meta.userAgent ?? null,
        details: { familyId: known.family_id, tokensRevoked: revoked },
      });
    });
  }
  throw new HubError('HUB_ERR_AUTH_REFRESH_INVALID');
}

/** Ends a session: every live token of the family; access tokens carrying it stop working too. */
export async function revokeFamily(db: Db, familyId: string): Promise<number> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Ends every session of a user (disabled account, new password, TOTP reset), or every one but
 * `exceptFamilyId` (the session that just changed its own second factor stays signed in).
 */
export async function revokeAllSessions(db: Db, userId: string, exceptFamilyId?: string): Promise<number> {
  let query = db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptFamilyId) query = query.where('family_id', '<>', exceptFamilyId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The session a refresh token belongs to, live or not (logout of an already-rotated token still ends the session). */
export async function findSession(db: Db, token: string): Promise<{ userId: string; familyId: string } | null> {
  const row = await db
    .selectFrom('refresh_tokens')
    .select(['user_id', 'family_id'])
    .where('token_hash', '=', hashRefreshToken(token))
    .executeTakeFirst();
  return row ? { userId: row.user_id, familyId: row.family_id } : null;
}
