import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, MassMailing } from '@ventanilla/hub';
import type { MailingView, UploadReport } from '../../hub/src/mass-mail/mass-mail.schema.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createEmailChannel } from '../support/mail-servers.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

/** Settings every mass-mail test uses: a fast schedule tick and short 4xx retry delays. */
export const MASS_MAIL_ENV = {
  MASS_MAIL_INTERVAL_MS: '100',
  MASS_MAIL_RETRY_DELAY_MS: '200',
  PUBLIC_URL: 'https://ventanilla.example.mx',
};

export interface MassMailWorld {
  hub: TestHub;
  db: Kysely<Database>;
  campaignId: string;
  channelId: string;
  /** Admin token (every campaign). */
  admin: string;
  /** Supervisor of the campaign. */
  supervisor: string;
}

export async function startMassMailWorld(smtpPort: number, env: Record<string, string> = {}): Promise<MassMailWorld> {
  const hub = await createTestHub({ ...MASS_MAIL_ENV, ...env });
  const db = hub.ctx.db.kysely;
  const campaign = await createCampaign(db, { name: 'Derechohabiente' });
  const channel = await createEmailChannel(db, campaign.id, {
    address: 'no-reply@imss.example.mx',
    displayName: 'IMSS Avisos',
    // Never read: these tests start no IMAP reader.
    imap: { port: 1, user: 'no-reply@imss.example.mx', password: 'x' },
    smtp: { port: smtpPort },
  });
  const admin = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
  const supervisor = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaign.id] })).id);
  return { hub, db, campaignId: campaign.id, channelId: channel.id, admin, supervisor };
}

export interface Reply<T> {
  status: number;
  body: T;
}

export async function call<T = MailingView>(app: FastifyInstance, token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>): Promise<Reply<T>> {
  const res = await app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
  return { status: res.statusCode, body: res.json<T>() };
}

export function mailingsUrl(campaignId: string, rest = ''): string {
  return `/api/v1/campaigns/${campaignId}/mass-mailings${rest}`;
}

export async function createMailing(w: MassMailWorld, input: Record<string, unknown> = {}): Promise<MailingView> {
  const res = await call(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId), {
    name: `Aviso ${randomBytes(2).toString('hex')}`,
    channelId: w.channelId,
    subject: 'Su cita, {{name}}',
    bodyText: 'Hola {{name}}: le recordamos su cita.',
    ratePerMinute: 100_000,
    ...input,
  });
  if (res.status !== 201) throw new Error(`create mailing: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function upload(w: MassMailWorld, mailingId: string, text: string, contentType = 'text/csv', query = ''): Promise<Reply<UploadReport>> {
  const res = await w.hub.app.inject({
    method: 'POST',
    url: mailingsUrl(w.campaignId, `/${mailingId}/recipients${query}`),
    headers: { ...bearer(w.supervisor), 'content-type': contentType },
    payload: text,
  });
  return { status: res.statusCode, body: res.json<UploadReport>() };
}

/** `n` addresses as a CSV with a `folio` column. */
export function csvOf(n: number, domain = 'correo.example.mx', offset = 0): string {
  const lines = ['email,name,folio'];
  for (let i = offset; i < offset + n; i += 1) lines.push(`persona${i}@${domain},Persona ${i},F-${String(i).padStart(5, '0')}`);
  return lines.join('\n');
}

export async function schedule(w: MassMailWorld, mailingId: string, body: Record<string, unknown> = {}): Promise<MailingView> {
  const res = await call(w.hub.app, w.supervisor, 'POST', mailingsUrl(w.campaignId, `/${mailingId}/schedule`), body);
  if (res.status !== 200) throw new Error(`schedule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function mailingRow(db: Kysely<Database>, id: string): Promise<MassMailing> {
  return db.selectFrom('mass_mailings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function statusCounts(db: Kysely<Database>, mailingId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('mass_mailing_recipients')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('mailing_id', '=', mailingId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
