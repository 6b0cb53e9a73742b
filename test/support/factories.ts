import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashPassword, type Database, type Role } from '@ventanilla/hub';

export async function createCampaign(db: Kysely<Database>, input: { slug?: string; name?: string; prefix?: string } = {}) {
  const suffix = randomBytes(3).toString('hex');
  return db
    .insertInto('campaigns')
    .values({
      slug: input.slug ?? `camp-${suffix}`,
      name: input.name ?? `Campaña ${suffix}`,
      folio_prefix: input.prefix ?? randomPrefix(),
      settings: '{}',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function randomPrefix(): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from(randomBytes(4), (b) => letters[b % 26]).join('');
}

export async function createApiChannel(
  db: Kysely<Database>,
  campaignId: string,
  input: { secret?: string; callbackUrl?: string; name?: string } = {},
) {
  const secret = input.secret ?? randomBytes(24).toString('hex');
  const row = await db
    .insertInto('channels')
    .values({
      campaign_id: campaignId,
      kind: 'api',
      name: input.name ?? 'API',
      settings: JSON.stringify(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
      secrets: JSON.stringify({ signingSecret: secret }),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { channel: row, secret };
}

export const TEST_PASSWORD = 'Contraseña-segura-2026';

export async function createUser(
  db: Kysely<Database>,
  input: { roles: Role[]; campaignIds?: string[]; email?: string; password?: string; name?: string },
) {
  const email = input.email ?? `user-${randomBytes(4).toString('hex')}@example.mx`;
  const user = await db
    .insertInto('users')
    .values({
      email,
      display_name: input.name ?? email.split('@')[0] ?? email,
      password_hash: await hashPassword(input.password ?? TEST_PASSWORD),
      roles: input.roles,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (input.campaignIds?.length) {
    await db
      .insertInto('user_campaigns')
      .values(input.campaignIds.map((campaign_id) => ({ user_id: user.id, campaign_id })))
      .execute();
  }
  return { ...user, password: input.password ?? TEST_PASSWORD };
}
