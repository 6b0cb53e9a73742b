import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser, TEST_PASSWORD } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditRows, call, login } from './auth-helpers.js';

interface Entry {
  id: string;
  action: string;
  campaignId: string | null;
  actorUserId: string | null;
  targetId: string | null;
}

describe('audit log API and CSV export', () => {
  let hub: TestHub;
  let campaignA: string;
  let campaignB: string;
  let admin: { id: string; token: string };
  let auditorA: { id: string; email: string; token: string };
  let supervisorA: { id: string; token: string };
  let other: { id: string; email: string };

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignA = (await createCampaign(db)).id;
    campaignB = (await createCampaign(db)).id;
    const adminUser = await createUser(db, { roles: ['admin'] });
    admin = { id: adminUser.id, token: await tokenFor(db, adminUser.id) };
    const auditorUser = await createUser(db, { roles: ['auditor'], campaignIds: [campaignA] });
    auditorA = { id: auditorUser.id, email: auditorUser.email, token: await tokenFor(db, auditorUser.id) };
    const supervisorUser = await createUser(db, { roles: ['supervisor'], campaignIds: [campaignA] });
    supervisorA = { id: supervisorUser.id, token: await tokenFor(db, supervisorUser.id) };
    const otherUser = await createUser(db, { roles: ['agent'], campaignIds: [campaignA] });
    other = { id: otherUser.id, email: otherUser.email };

    // Entries of both campaigns, and logins of the auditor and of someone else.
    await db
      .insertInto('audit_log')
      .values([
        { action: 'campaign.updated', actor_user_id: admin.id, campaign_id: campaignA, target_type: 'campaign', target_id: campaignA, details: JSON.stringify({ field: 'name' }) },
        { action: 'campaign.updated', actor_user_id: admin.id, campaign_id: campaignB, target_type: 'campaign', target_id: campaignB, details: JSON.stringify({ field: 'name' }) },
      ])
      .execute();
    await login(hub.app, auditorA.email, TEST_PASSWORD);
    await login(hub.app, other.email, TEST_PASSWORD);
    await login(hub.app, other.email, 'contraseña-equivocada');
    // A hostile "email" that a spreadsheet would run as a formula.
    await login(hub.app, '=HYPERLINK("http://malo.example","x")', 'x');
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  const get = (who: { token: string }, url: string) => call(hub.app, { method: 'GET', url: `/api/v1${url}`, headers: bearer(who.token) });

  it('is readable by admins and auditors only', async () => {
    const res = await get(supervisorA, '/audit');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    expect((await get(supervisorA, '/audit/export')).statusCode).toBe(403);
    expect((await get(admin, '/audit')).statusCode).toBe(200);
    expect((await get(auditorA, '/audit')).statusCode).toBe(200);
  });

  it('gives admins everything, filtered by action, noun.* prefix, actor and time', async () => {
    const all: Entry[] = (await get(admin, '/audit')).json().items;
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(['campaign.updated', 'auth.login_succeeded', 'auth.login_failed']));
    // Newest first.
    expect(all.map((e) => Number(e.id))).toEqual([...all.map((e) => Number(e.id))].sort((a, b) => b - a));

    const failed: Entry[] = (await get(admin, '/audit?action=auth.login_failed')).json().items;
    expect(failed.length).toBe(2);
    expect(new Set(failed.map((e) => e.action))).toEqual(new Set(['auth.login_failed']));
    const auth: Entry[] = (await get(admin, '/audit?action=auth.*')).json().items;
    expect(new Set(auth.map((e) => e.action))).toEqual(new Set(['auth.login_failed', 'auth.login_succeeded']));
    const byAdmin: Entry[] = (await get(admin, `/audit?actorUserId=${admin.id}`)).json().items;
    expect(byAdmin.map((e) => e.action)).toEqual(['campaign.updated', 'campaign.updated']);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await get(admin, `/audit?from=${encodeURIComponent(future)}`)).json().items).toEqual([]);
    expect((await get(admin, `/audit?to=${encodeURIComponent(future)}`)).json().items.length).toBe(all.length);
    expect((await get(admin, '/audit?action=DROP TABLE')).json().error.code).toBe('HUB_ERR_VALIDATION');
  });

  it('pages with an opaque cursor without gaps or repeats', async () => {
    const all: Entry[] = (await get(admin, '/audit?action=auth.*&limit=500')).json().items;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Entry[]; nextCursor: string | null } = (await get(admin, `/audit?action=auth.*&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    expect(seen.length).toBeGreaterThan(2);
  });

  it('shows a campaign auditor their campaigns and their own account only', async () => {
    const items: Entry[] = (await get(auditorA, '/audit?limit=500')).json().items;
    expect(items.some((e) => e.campaignId === campaignA)).toBe(true);
    expect(items.some((e) => e.campaignId === campaignB)).toBe(false);
    expect(items.some((e) => e.action === 'auth.login_succeeded' && e.actorUserId === auditorA.id)).toBe(true);
    // Other people's logins (successful or not) are campaign-less and not about the auditor.
    expect(items.some((e) => e.actorUserId === other.id || e.targetId === other.id)).toBe(false);
    expect(items.some((e) => e.action === 'auth.login_failed')).toBe(false);
    expect((await get(auditorA, `/audit?campaignId=${campaignB}`)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    const exported = await get(auditorA, '/audit/export');
    expect(exported.body).toContain(campaignA);
    expect(exported.body).not.toContain(campaignB);
    expect(exported.body).not.toContain(other.email);
  });

  it('exports CSV safely and records the export as data.exported', async () => {
    const before = (await auditRows(hub.ctx.db.kysely, 'data.exported')).length;
    const res = await get(admin, '/audit/export?action=auth.login_failed');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="auditoria-\d{8}\.csv"$/);
    const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,occurredAt,action,outcome,actorUserId,actorLabel,targetType,targetId,campaignId,ip,userAgent,details');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes(',auth.login_failed,failure,'))).toBe(true);
    // Formula neutralised with a leading quote (the login lower-cased it), inner quotes doubled, JSON details quoted.
    expect(res.body).toContain(`"'=hyperlink(""http://malo.example"",""x"")"`);
    expect(res.body).toContain(`"{""email"":""${other.email}"",""reason"":""wrong_password""}"`);

    const exports = await auditRows(hub.ctx.db.kysely, 'data.exported');
    expect(exports).toHaveLength(before + 1);
    expect(exports.at(-1)).toMatchObject({ actor_user_id: admin.id, target_type: 'audit_log', details: { resource: 'audit_log', rows: 2, filters: { action: 'auth.login_failed' } } });

    // The export is visible in the log it exports from.
    const listed: Entry[] = (await get(admin, '/audit?action=data.exported')).json().items;
    expect(listed.some((e) => e.actorUserId === admin.id)).toBe(true);
    // A refused export leaves no trace of data leaving.
    await get(supervisorA, '/audit/export');
    expect(await auditRows(hub.ctx.db.kysely, 'data.exported')).toHaveLength(before + 1);
  });
});
