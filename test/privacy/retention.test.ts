import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

describe('privacy: retention policy per campaign', () => {
  let hub: TestHub;
  let campaignId: string;
  const tokens = { admin: '', supA: '', supB: '', agentA: '' };

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    const campA = await createCampaign(db);
    const campB = await createCampaign(db);
    campaignId = campA.id;
    const users = {
      admin: await createUser(db, { roles: ['admin'] }),
      supA: await createUser(db, { roles: ['supervisor'], campaignIds: [campA.id] }),
      supB: await createUser(db, { roles: ['supervisor'], campaignIds: [campB.id] }),
      agentA: await createUser(db, { roles: ['agent'], campaignIds: [campA.id] }),
    };
    for (const key of Object.keys(users) as Array<keyof typeof users>) tokens[key] = await tokenFor(db, users[key].id);
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const get = (token: string, id = campaignId) => hub.app.inject({ method: 'GET', url: `/api/v1/campaigns/${id}/retention`, headers: bearer(token) });
  const put = (token: string, payload: Record<string, unknown>) => hub.app.inject({ method: 'PUT', url: `/api/v1/campaigns/${campaignId}/retention`, payload, headers: bearer(token) });

  it('defaults to 30 days online and 180 more in the archive for every kind', async () => {
    const res = await get(tokens.supA);
    expect(res.statusCode).toBe(200);
    expect(res.json().retention).toEqual({
      messages: { onlineDays: 30, archiveDays: 180 },
      attachments: { onlineDays: 30, archiveDays: 180 },
      recordings: { onlineDays: 30, archiveDays: 180 },
    });
  });

  it('saves an admin change of one kind, keeps the others, and audits before and after', async () => {
    const res = await put(tokens.admin, { recordings: { onlineDays: 90, archiveDays: 365 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().retention.recordings).toEqual({ onlineDays: 90, archiveDays: 365 });
    expect((await get(tokens.supA)).json().retention).toMatchObject({ recordings: { onlineDays: 90, archiveDays: 365 }, messages: { onlineDays: 30, archiveDays: 180 } });
    const audit = await hub.ctx.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'privacy.retention_updated').where('target_id', '=', campaignId).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ before: { recordings: { onlineDays: 30 } }, after: { recordings: { onlineDays: 90 } } });
  });

  it('rejects less than 30 days online, an archive shorter than the online period, and unknown kinds', async () => {
    const short = await put(tokens.admin, { messages: { onlineDays: 10, archiveDays: 180 } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('HUB_ERR_VALIDATION');
    expect(short.json().error.message).toContain('30 días');
    const archive = await put(tokens.admin, { messages: { onlineDays: 60, archiveDays: 40 } });
    expect(archive.statusCode).toBe(400);
    expect(archive.json().error.message).toContain('archivo');
    expect((await put(tokens.admin, { emails: { onlineDays: 60, archiveDays: 60 } })).statusCode).toBe(400);
    expect((await put(tokens.admin, {})).statusCode).toBe(400);
    expect((await get(tokens.supA)).json().retention.messages).toEqual({ onlineDays: 30, archiveDays: 180 });
  });

  it('lets only admins change it and only the campaign read it', async () => {
    expect((await put(tokens.supA, { messages: { onlineDays: 60, archiveDays: 180 } })).statusCode).toBe(403);
    expect((await get(tokens.supB)).statusCode).toBe(403);
    expect((await get(tokens.agentA)).statusCode).toBe(403);
    expect((await get(tokens.admin, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
