import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createHubContext, type Config, type HubContext } from '@ventanilla/hub';
import { curpCheckDigit, nssCheckDigit, rfcCheckDigit } from '../../hub/src/contacts/official-ids.js';
import { signFileToken } from '../../hub/src/files/file-token.js';
import { maskOfficialIdsInText, redactLogValue, redactUrl } from '../../hub/src/observability/log-redaction.js';
import { createLogger } from '../../hub/src/observability/logger.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, TEST_JWT_SECRET, testConfig } from '../support/test-context.js';

const CURP = `GOTA800115MDFMRN0${curpCheckDigit('GOTA800115MDFMRN0')}`;
const NSS = `1234567890${nssCheckDigit('1234567890')}`;
const RFC = `GOTA800115AB${rfcCheckDigit('GOTA800115AB')}`;
const MASKED_CURP = `GOTA${'•'.repeat(12)}${CURP.slice(-2)}`;
const MASKED_NSS = `${'•'.repeat(7)}${NSS.slice(-4)}`;

describe('log redaction (units)', () => {
  it('masks CURP, RFC and NSS wherever they sit in a text, and leaves other numbers alone', () => {
    expect(maskOfficialIdsInText(`curp ${CURP}, rfc ${RFC}, nss ${NSS}.`)).toBe(`curp ${MASKED_CURP}, rfc GOTA${'•'.repeat(7)}${RFC.slice(-2)}, nss ${MASKED_NSS}.`);
    expect(maskOfficialIdsInText(`/portal/v1/cases?curp=${CURP.toLowerCase()}`)).toBe(`/portal/v1/cases?curp=${MASKED_CURP}`);
    // Not an NSS: the check digit is wrong; not an id at all: 13-digit epoch milliseconds, a phone.
    const wrongDigit = `${NSS.slice(0, 10)}${(Number(NSS.slice(-1)) + 1) % 10}`;
    expect(maskOfficialIdsInText(`${wrongDigit} 1795748018409 +525512340000`)).toBe(`${wrongDigit} 1795748018409 +525512340000`);
  });

  it('censors secrets by key at any depth and masks ids in nested strings and numbers', () => {
    const out = redactLogValue({
      a: { b: { c: { imapPassword: 'p4ss', note: `CURP ${CURP}` } } },
      headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-hub-signature-256': 'sha256=ff' },
      secrets: { appSecret: 'shh' },
      totpCode: 123456,
      list: [{ accessToken: 'tok' }, Number(NSS)],
      verified: true,
    });
    const text = JSON.stringify(out);
    for (const secret of ['p4ss', 'Bearer abc', 'sid=1', 'sha256=ff', 'shh', '123456', '"tok"', CURP, NSS]) expect(text, secret).not.toContain(secret);
    expect(out).toMatchObject({ a: { b: { c: { note: `CURP ${MASKED_CURP}` } } }, list: [{ accessToken: '[redactado]' }, MASKED_NSS], verified: true });
  });

  it('takes credentials out of URLs and masks ids in path and query', () => {
    expect(redactUrl(`/api/v1/files/x?inline=1&token=p.1.u.sig`)).toBe('/api/v1/files/x?inline=1&token=[redactado]');
    expect(redactUrl(`/webhooks/w/1?hub.mode=subscribe&hub.verify_token=abc&hub.challenge=9`)).toBe('/webhooks/w/1?hub.mode=subscribe&hub.verify_token=[redactado]&hub.challenge=9');
    expect(redactUrl(`/contacts/${CURP}?nss=${NSS}`)).toBe(`/contacts/${MASKED_CURP}?nss=${MASKED_NSS}`);
  });
});

/**
 * Issue 12: a real hub's log output (its pino logger writing to a stream we read) while it serves
 * requests carrying a CURP, an NSS, bearer tokens, file-link tokens and passwords in the body,
 * the query and the headers: none of them appears whole in any line.
 */
describe('a real hub’s logs', () => {
  const lines: string[] = [];
  let config: Config;
  let ctx: HubContext;
  let app: FastifyInstance;
  let dataDir: string;
  let accessToken: string;
  let fileToken: string;
  const password = `Contraseña-${randomUUID()}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-logs-'));
    config = testConfig({ LOG_LEVEL: 'info', DATA_DIR: dataDir });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    });
    ctx = await createHubContext(config, { logger: createLogger(config, {}, sink) });
    app = await buildApp(ctx);
    await app.ready();
    const campaign = await createCampaign(ctx.db.kysely);
    const agent = await createUser(ctx.db.kysely, { roles: ['agent'], campaignIds: [campaign.id], password });
    accessToken = await tokenFor(ctx.db.kysely, agent.id);
    fileToken = signFileToken(TEST_JWT_SECRET, { fileId: randomUUID(), purpose: 'channel' });
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    if (config) await dropNamespaces(config);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('never writes a whole official id, token or password, and still logs the requests', async () => {
    const signature = `sha256=${'ab'.repeat(32)}`;
    const requests = [
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nadie@example.mx', password } }),
      app.inject({ method: 'GET', url: `/api/v1/files/${randomUUID()}?inline=1&token=${fileToken}` }),
      app.inject({ method: 'GET', url: `/api/v1/me`, headers: { ...bearer(accessToken), cookie: `session=${accessToken}` } }),
      app.inject({ method: 'GET', url: `/portal/v1/cases/TRAM-20260101-000001?curp=${CURP}&nss=${NSS}`, headers: { 'x-official-id': CURP, 'x-forwarded-for': '10.9.9.9' } }),
      app.inject({ method: 'POST', url: '/portal/v1/cases', headers: { 'x-forwarded-for': '10.9.9.8' }, payload: { procedureId: 'no-existe', officialId: { kind: 'curp', value: CURP }, birthDate: '1980-01-15', fullName: 'Ana' } }),
      app.inject({ method: 'GET', url: `/api/v1/contacts/search/${CURP.toLowerCase()}?rfc=${RFC}`, headers: bearer(accessToken) }),
      app.inject({ method: 'GET', url: `/webhooks/whatsapp/${randomUUID()}?hub.mode=subscribe&hub.verify_token=${password}&hub.challenge=1` }),
      app.inject({ method: 'POST', url: `/webhooks/whatsapp/${randomUUID()}`, headers: { 'x-hub-signature-256': signature }, payload: { entry: [{ curp: CURP }] } }),
    ];
    for (const request of requests) await request;

    // What code in the hub itself might log: a citizen record, a provider's headers, an error.
    const log = ctx.logger.child({ requestId: 'r-1' });
    log.info({ contact: { name: 'Ana', curp: CURP, nss: NSS, rfc: RFC }, headers: { authorization: `Bearer ${accessToken}` }, smtpPassword: password }, 'contacto actualizado');
    log.info(`búsqueda por ${CURP} y ${NSS}`);
    log.warn({ details: { deep: { deeper: { deepest: { curp: CURP } } } } }, 'anidado');
    log.error({ err: new Error(`CURP inválida: ${CURP} (nss ${NSS})`) }, 'falló');
    log.error(new Error(`sin objeto: ${CURP}`));

    const output = lines.join('\n');
    for (const secret of [CURP, CURP.toLowerCase(), NSS, RFC, accessToken, fileToken, password, signature]) {
      expect(output.includes(secret), `found ${secret.slice(0, 12)}… in the logs`).toBe(false);
    }
    // The lines are there, masked, and still JSON.
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    const requestUrls = lines.map((l) => JSON.parse(l) as { req?: { url?: string } }).flatMap((l) => (l.req?.url ? [l.req.url] : []));
    expect(requestUrls).toContain(`/portal/v1/cases/TRAM-20260101-000001?curp=${MASKED_CURP}&nss=${MASKED_NSS}`);
    expect(requestUrls.some((url) => url.endsWith('?inline=1&token=[redactado]'))).toBe(true);
    expect(output).toContain(`búsqueda por ${MASKED_CURP} y ${MASKED_NSS}`);
    expect(output).toContain(`CURP inválida: ${MASKED_CURP}`);
    expect(output).toContain('"smtpPassword":"[redactado]"');
  });
});
