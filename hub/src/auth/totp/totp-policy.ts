import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.schema.js';
import type { Database, Role } from '../../db/schema.js';
import { CHALLENGE_TTL_SECONDS, signChallenge } from './totp-challenge.js';
import type { TotpKeys } from './totp-crypto.js';
import { loadTotp } from './totp-store.js';

/** AUTH_TOTP_REQUIRED_ROLES as a list (validated against the role catalogue in config.schema.ts). */
export function totpRequiredRoles(config: Pick<Config, 'AUTH_TOTP_REQUIRED_ROLES'>): string[] {
  return (config.AUTH_TOTP_REQUIRED_ROLES ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
}

export function totpRequiredFor(config: Pick<Config, 'AUTH_TOTP_REQUIRED_ROLES'>, roles: readonly Role[]): boolean {
  const required = totpRequiredRoles(config);
  return roles.some((role) => required.includes(role));
}

export type SecondStep =
  | { totpRequired: true; challenge: string; expiresIn: number }
  | { totpEnrolmentRequired: true; challenge: string; expiresIn: number };

/**
 * After the right password: what the login still needs. null = nothing (no tokens withheld);
 * a challenge when the user has TOTP enabled, or must enrol because of their role.
 */
export async function secondStepFor(
  db: Kysely<Database>,
  config: Pick<Config, 'AUTH_TOTP_REQUIRED_ROLES' | 'JWT_SECRET'>,
  keys: TotpKeys,
  user: { id: string; roles: readonly Role[]; passwordHash: string },
): Promise<SecondStep | null> {
  const totp = await loadTotp(db, keys, user.id);
  if (totp?.enabled) {
    const challenge = await signChallenge(config.JWT_SECRET, { userId: user.id, purpose: 'login' }, user.passwordHash);
    return { totpRequired: true, challenge, expiresIn: CHALLENGE_TTL_SECONDS };
  }
  if (totpRequiredFor(config, user.roles)) {
    const challenge = await signChallenge(config.JWT_SECRET, { userId: user.id, purpose: 'enrol' }, user.passwordHash);
    return { totpEnrolmentRequired: true, challenge, expiresIn: CHALLENGE_TTL_SECONDS };
  }
  return null;
}
