import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, startHubProcess } from '@ventanilla/hub';
import { runChildHubToExit } from '../support/child-hub.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { TEST_JWT_SECRET, TEST_REDIS_URL, dropNamespaces } from '../support/test-context.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

describe('configuration is validated once at boot', () => {
  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://nope', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toContain('JWT_SECRET: required but not set');
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('REDIS_URL:') && p.includes('redis://'))).toBe(true);
    expect(problems.some((p) => p.startsWith('DATABASE_URL:') && p.includes('postgres'))).toBe(true);
  });

  it('applies documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET });
    expect(config.PORT).toBe(3000);
    expect(config.HUB_ROLE).toBe('all');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('stops the process with a readable list and a non-zero exit when a variable is wrong', async () => {
    const { code, output } = await runChildHubToExit({ PATH: process.env['PATH'], PORT: '-1' });
    expect(code).not.toBe(0);
    expect(output).toContain('JWT_SECRET: required but not set');
    expect(output).toContain('PORT:');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('says plainly how to start Redis when it is unreachable, and exits non-zero', async () => {
    const { code, output } = await runChildHubToExit({ PATH: process.env['PATH'], JWT_SECRET: TEST_JWT_SECRET, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).not.toBe(0);
    expect(output).toContain('Cannot reach Redis at redis://127.0.0.1:1');
    expect(output).toContain('redis-server --daemonize yes');
  });
});

describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  it('migrates, ingests and serves a conversation with the same code path', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ventanilla-embedded-'));
    const prefix = `emb${Date.now().toString(36)}`;
    const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const hub = await startHubProcess(config);
    try {
      expect(hub.ctx.db.kind).toBe('embedded');
      const db = hub.ctx.db.kysely;
      const campaign = await createCampaign(db, { prefix: 'EMB' });
      const { channel, secret } = await createApiChannel(db, campaign.id);
      const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
      const token = await tokenFor(db, agent.id);
      // Several at once: the single embedded session must serialise transactions, not interleave them.
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const body = messageBody({ id: `emb-${i}`, phone: `+52 55 1000 00${String(i).padStart(2, '0')}`, text: `hola ${i}` });
          const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(secret, body), body });
          expect(res.status).toBe(200);
        }),
      );
      await expect
        .poll(async () => (await (await fetch(`${hub.url}/api/v1/conversations`, { headers: bearer(token) })).json()).items.length, { timeout: 15_000 })
        .toBe(10);
      const { items } = await (await fetch(`${hub.url}/api/v1/conversations`, { headers: bearer(token) })).json();
      expect(new Set(items.map((c: { folio: string }) => c.folio)).size).toBe(10);
      expect(items[0].folio).toMatch(/^EMB-\d{8}-\d{6}$/);
    } finally {
      await hub.stop();
      await dropNamespaces({ DATABASE_SCHEMA: 'unused_schema_name', REDIS_PREFIX: prefix });
      rmSync(dataDir, { recursive: true, force: true });
    }
    // PGlite applies every migration in WebAssembly: tens of seconds on a busy 2-core machine.
  }, 90_000);
});
