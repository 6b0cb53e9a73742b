import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { decryptSecret, encryptSecret, generateRecoveryCodes, hashRecoveryCode, type TotpKeys } from './totp-crypto.js';
import { matchTotp } from './totp.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface TotpState {
  enabled: boolean;
  secret: Buffer | null;
  lastUsedStep: number | null;
}

/** The user's TOTP row decrypted; null when they never set one up. */
export async function loadTotp(db: Db, keys: TotpKeys, userId: string): Promise<TotpState | null> {
  const row = await db.selectFrom('user_totp').select(['secret_encrypted', 'enabled_at', 'last_used_step']).where('user_id', '=', userId).executeTakeFirst();
  if (!row) return null;
  return {
    enabled: row.enabled_at !== null,
    secret: decryptSecret(keys, userId, row.secret_encrypted),
    lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
  };
}

/** Starts (or restarts) an enrolment: a new secret, not yet enabled. Never overwrites an enabled one. */
export async function savePendingSecret(db: Db, keys: TotpKeys, userId: string, secret: Uint8Array): Promise<boolean> {
  const encrypted = encryptSecret(keys, userId, secret);
  const result = await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret_encrypted: encrypted })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ secret_encrypted: encrypted, last_used_step: null, updated_at: sql<Date>`clock_timestamp()` })
        .where('user_totp.enabled_at', 'is', null),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Checks a code and spends its step in one conditional UPDATE, so two requests carrying the same
 * code cannot both pass. Returns false for a wrong, stale or already used code.
 */
export async function consumeTotpCode(db: Db, keys: TotpKeys, userId: string, code: string, now = Date.now()): Promise<boolean> {
  const state = await loadTotp(db, keys, userId);
  if (!state?.secret) return false;
  const step = matchTotp(state.secret, code, now, state.lastUsedStep);
  if (step === null) return false;
  const updated = await db
    .updateTable('user_totp')
    .set({ last_used_step: step, updated_at: sql<Date>`clock_timestamp()` })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step))]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Marks the pending secret enabled and replaces the recovery codes; returns the new codes (shown once). */
export async function enableTotp(trx: Transaction<Database>, keys: TotpKeys, userId: string): Promise<string[]> {
  await trx.updateTable('user_totp').set({ enabled_at: sql<Date>`clock_timestamp()`, updated_at: sql<Date>`clock_timestamp()` }).where('user_id', '=', userId).execute();
  await trx.deleteFrom('user_totp_recovery_codes').where('user_id', '=', userId).execute();
  const codes = generateRecoveryCodes();
  await trx
    .insertInto('user_totp_recovery_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(keys, code) })))
    .execute();
  return codes;
}

/** Spends one unused recovery code; false when it is unknown or already used. */
export async function consumeRecoveryCode(db: Db, keys: TotpKeys, userId: string, code: string): Promise<{ ok: boolean; remaining: number }> {
  const used = await db
    .updateTable('user_totp_recovery_codes')
    .set({ used_at: sql<Date>`clock_timestamp()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(keys, code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  const left = await db
    .selectFrom('user_totp_recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { ok: Number(used.numUpdatedRows) === 1, remaining: Number(left.n) };
}

/** Removes the factor and its recovery codes (disable, admin reset). Returns whether one was enabled. */
export async function deleteTotp(db: Db, userId: string): Promise<boolean> {
  await db.deleteFrom('user_totp_recovery_codes').where('user_id', '=', userId).execute();
  const deleted = await db.deleteFrom('user_totp').where('user_id', '=', userId).returning('enabled_at').executeTakeFirst();
  return deleted?.enabled_at != null;
}
