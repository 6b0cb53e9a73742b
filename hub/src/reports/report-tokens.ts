import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import type { ReportToken } from '../db/schema-reports.js';
import { HubError } from '../errors/error-registry.js';

/**
 * Report tokens for BI tools (issue 9 item 7): `vrt_` + 32 random bytes. Only the SHA-256 is kept
 * (the token has 256 bits of entropy, so a fast hash is enough and the lookup is one index hit).
 * A token is the campaign's, reaches the report routes only, and stops working when revoked or
 * past its expiry.
 */
export const REPORT_TOKEN_PREFIX = 'vrt_';

export const hashReportToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function newReportToken(): { token: string; hash: string; prefix: string } {
  const token = `${REPORT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashReportToken(token), prefix: token.slice(0, 12) };
}

export const reportTokenViewSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export type ReportTokenView = z.infer<typeof reportTokenViewSchema>;

export function tokenView(row: ReportToken, now: Date = new Date()): ReportTokenView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    name: row.name,
    prefix: row.token_prefix,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    lastUsedIp: row.last_used_ip,
    status: row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= now ? 'expired' : 'active',
  };
}

/** Who called through a report token. */
export interface ReportTokenCaller {
  readonly tokenId: string;
  readonly campaignId: string;
  readonly name: string;
}

/** Bearer `vrt_…` → the token's campaign, or 401; records the use (last used at / from). */
export async function verifyReportToken(db: Kysely<Database>, token: string, ip: string): Promise<ReportTokenCaller> {
  const row = await db.selectFrom('report_tokens').selectAll().where('token_hash', '=', hashReportToken(token)).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID', 'Token de reportes inválido / invalid report token');
  if (row.revoked_at) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID', 'El token de reportes fue revocado / the report token was revoked');
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID', 'El token de reportes venció / the report token has expired');
  await db.updateTable('report_tokens').set({ last_used_at: new Date(), last_used_ip: ip.slice(0, 100) }).where('id', '=', row.id).execute();
  return { tokenId: row.id, campaignId: row.campaign_id, name: row.name };
}

export async function createReportToken(db: Kysely<Database>, input: { campaignId: string; name: string; expiresAt: Date | null; createdBy: string }): Promise<{ view: ReportTokenView; token: string }> {
  const { token, hash, prefix } = newReportToken();
  const row = await db
    .insertInto('report_tokens')
    .values({ campaign_id: input.campaignId, name: input.name, token_hash: hash, token_prefix: prefix, created_by: input.createdBy, expires_at: input.expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { view: tokenView(row), token };
}

export async function listReportTokens(db: Kysely<Database>, campaignId: string): Promise<ReportTokenView[]> {
  const rows = await db.selectFrom('report_tokens').selectAll().where('campaign_id', '=', campaignId).orderBy('created_at', 'desc').execute();
  const now = new Date();
  return rows.map((r) => tokenView(r, now));
}

export async function findReportToken(db: Kysely<Database>, id: string): Promise<ReportToken | undefined> {
  return db.selectFrom('report_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Revokes once; revoking again returns the token as it is (idempotent). */
export async function revokeReportToken(db: Kysely<Database>, id: string, by: string): Promise<{ view: ReportTokenView; changed: boolean }> {
  const updated = await db.updateTable('report_tokens').set({ revoked_at: new Date(), revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
  if (updated) return { view: tokenView(updated), changed: true };
  const row = await findReportToken(db, id);
  if (!row) throw new HubError('HUB_ERR_NOT_FOUND', 'Token de reportes no encontrado / report token not found');
  return { view: tokenView(row), changed: false };
}
