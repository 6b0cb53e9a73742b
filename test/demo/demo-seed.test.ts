import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { DEMO_PASSWORD, seedDemo } from '../../hub/src/seed/demo-seed.js';
import { demoOrigins, seedDemoWebchat } from '../../hub/src/seed/demo-webchat.js';
import { cannedVariablesIn } from '../../hub/src/inbox/canned-variables.js';
import { searchKbArticles } from '../../hub/src/inbox/kb-search.js';
import { loadCalendar } from '../../hub/src/appointments/booking/calendar.store.js';
import { nearestSlots } from '../../hub/src/appointments/booking/nearest-slots.query.js';
import { listProcedures } from '../../hub/src/appointments/procedures/procedure.store.js';

describe('demo seed', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('seeds the two campaigns, queues, skills, 10 staff and an API channel per campaign — once', async () => {
    const first = await seedDemo(hub.ctx.db.kysely);
    const second = await seedDemo(hub.ctx.db.kysely);
    expect(first.seeded).toBe(true);
    expect(second.seeded).toBe(false);
    expect(second.channels).toEqual(first.channels);
    const db = hub.ctx.db.kysely;
    expect((await db.selectFrom('campaigns').select('name').orderBy('name').execute()).map((c) => c.name)).toEqual(['Contribuyentes', 'Derechohabientes']);
    const users = await db.selectFrom('users').select('roles').execute();
    const count = (role: string) => users.filter((u) => u.roles.includes(role as never)).length;
    expect([count('agent'), count('supervisor'), count('trainer'), count('admin')]).toEqual([7, 1, 1, 1]);
    expect((await db.selectFrom('queues').select('id').execute()).length).toBeGreaterThanOrEqual(4);
    expect((await db.selectFrom('agent_skills').select('level').execute()).every((s) => s.level >= 1 && s.level <= 5)).toBe(true);
    expect(first.channels).toHaveLength(2);
    expect(first.channels.every((c) => c.secret.length >= 32)).toBe(true);
  });

  it('gives each campaign canned responses with known variables, a tipification tree of up to 3 levels and KB articles — once', async () => {
    const db = hub.ctx.db.kysely;
    await seedDemo(db);
    const campaigns = await db.selectFrom('campaigns').select(['id', 'slug']).execute();
    for (const { id, slug } of campaigns) {
      const canned = await db.selectFrom('canned_responses').select(['shortcut', 'body']).where('campaign_id', '=', id).execute();
      expect(canned.length, slug).toBeGreaterThanOrEqual(6);
      expect(canned.flatMap((c) => cannedVariablesIn(c.body).unknown)).toEqual([]);
      expect(canned.some((c) => cannedVariablesIn(c.body).known.length > 0)).toBe(true);
      const codes = await db.selectFrom('disposition_codes').select(['depth', 'active', 'parent_id']).where('campaign_id', '=', id).execute();
      expect(codes.filter((c) => c.parent_id === null).length, slug).toBeGreaterThanOrEqual(4);
      expect(codes.every((c) => c.active && c.depth >= 1 && c.depth <= 3)).toBe(true);
      const articles = await db.selectFrom('kb_articles').select(['title', 'published']).where('campaign_id', '=', id).execute();
      expect(articles.filter((a) => a.published).length, slug).toBeGreaterThanOrEqual(6);
    }
    const derechohabientes = campaigns.find((c) => c.slug === 'derechohabientes')!.id;
    const hits = await searchKbArticles(db, { campaignId: derechohabientes, q: 'vigencia derechos', limit: 5, includeDrafts: false });
    expect(hits[0]?.title).toBe('¿Cómo consulto mi vigencia de derechos?');
    const count = async (table: 'canned_responses' | 'disposition_codes' | 'kb_articles') => (await db.selectFrom(table).select('id').execute()).length;
    expect([await count('canned_responses'), await count('disposition_codes'), await count('kb_articles')]).toEqual([13, 39, 13]);
    // A demo seeded before this content existed gains it on its next start.
    await db.deleteFrom('canned_responses').execute();
    await db.deleteFrom('kb_articles').execute();
    await db.deleteFrom('disposition_codes').where('depth', '=', 3).execute();
    await db.deleteFrom('disposition_codes').where('depth', '=', 2).execute();
    await db.deleteFrom('disposition_codes').execute();
    expect((await seedDemo(db)).seeded).toBe(false);
    expect([await count('canned_responses'), await count('disposition_codes'), await count('kb_articles')]).toEqual([13, 39, 13]);
  });

  it('adds one web chat channel allowed on the hub\'s own origin, and only adds origins on later starts', async () => {
    const db = hub.ctx.db.kysely;
    await seedDemo(db);
    expect(demoOrigins('http://127.0.0.1:3000/')).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
    const id = await seedDemoWebchat(db, demoOrigins('http://127.0.0.1:3000'));
    const again = await seedDemoWebchat(db, ['https://demo.example.mx']);
    expect(again).toBe(id);
    const rows = await db.selectFrom('channels').select(['id', 'settings']).where('kind', '=', 'webchat').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.settings['allowedOrigins']).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000', 'https://demo.example.mx']);
  });

  it('lets the printed demo logins in', async () => {
    for (const email of ['admin@demo.ventanilla.mx', 'agente1@demo.ventanilla.mx']) {
      const res = await hub.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
    }
  });
});

describe('demo appointment calendars', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  it('gives each campaign one calendar (IMSS family medicine and dental; the tax office) with the LFT holidays, and offers the 10 nearest slots — once', async () => {
    const db = hub.ctx.db.kysely;
    await seedDemo(db);
    await seedDemo(db);
    const versions = await db.selectFrom('appointment_calendars').innerJoin('campaigns', 'campaigns.id', 'appointment_calendars.campaign_id').select(['campaigns.slug', 'appointment_calendars.version']).orderBy('campaigns.slug').execute();
    expect(versions).toEqual([
      { slug: 'contribuyentes', version: 1 },
      { slug: 'derechohabientes', version: 1 },
    ]);
    const imss = await db.selectFrom('campaigns').select('id').where('slug', '=', 'derechohabientes').executeTakeFirstOrThrow();
    const loaded = await loadCalendar(db, imss.id);
    expect(loaded?.calendar.services.map((s) => s.id)).toEqual(['mf', 'est']);
    expect(loaded?.calendar.holidays.some((h) => h.name === 'Navidad')).toBe(true);
    // From Saturday 14 Nov 00:00 local: no weekend shifts, and Monday 16 (third Monday of November) is the Revolution holiday.
    const slots = await nearestSlots(db, imss.id, { serviceId: 'mf', from: new Date('2026-11-14T06:00:00Z'), now: new Date('2026-11-13T12:00:00Z') });
    expect(slots).toHaveLength(10);
    expect(slots.some((s) => s.startsAt.startsWith('2026-11-16'))).toBe(false);
    // The grid runs from 08:00 every 20 min; 08:00–08:40 overlap the excluded 08:00–08:45, so the first is 09:00 local = 15:00Z.
    expect(slots[0]?.startsAt).toBe('2026-11-17T15:00:00.000Z');
    // The tax office's procedure asks for two required documents, reviewed by the two agents holding the reviewer skill.
    const tax = await db.selectFrom('campaigns').select('id').where('slug', '=', 'contribuyentes').executeTakeFirstOrThrow();
    const procedures = await listProcedures(db, tax.id);
    expect(procedures.map((p) => [p.id, p.serviceId, p.requirements.filter((r) => r.required).length])).toEqual([['cambio-propietario', 'vehicular', 2]]);
    const reviewers = await db
      .selectFrom('agent_skills')
      .innerJoin('skills', 'skills.id', 'agent_skills.skill_id')
      .innerJoin('users', 'users.id', 'agent_skills.user_id')
      .select('users.email')
      .where('skills.name', '=', 'revision_documental')
      .where('skills.campaign_id', '=', tax.id)
      .orderBy('users.email')
      .execute();
    expect(reviewers.map((r) => r.email)).toEqual(['agente4@demo.ventanilla.mx', 'agente6@demo.ventanilla.mx']);
  });
});
