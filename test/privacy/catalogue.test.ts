import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueKey, catalogueMarkdown, NOT_PERSONAL, PERSONAL_DATA_CATALOGUE, PERSONAL_NAME_PATTERN, uncatalogued } from '../../hub/src/privacy/catalogue.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('privacy: personal-data catalogue', () => {
  let hub: TestHub;
  let columns: { table: string; column: string }[];

  beforeAll(async () => {
    hub = await createTestHub();
    const { rows } = await sql<{ table: string; column: string }>`
      SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = ${hub.config.DATABASE_SCHEMA} ORDER BY table_name, ordinal_position`.execute(hub.ctx.db.kysely);
    columns = rows;
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('accounts for every migrated column whose name looks personal (catalogued or reviewed as not personal)', () => {
    expect(columns.length).toBeGreaterThan(500);
    expect(columns.filter((c) => PERSONAL_NAME_PATTERN.test(c.column)).length).toBeGreaterThan(100);
    expect(uncatalogued(columns)).toEqual([]);
  });

  it('the check catches a new personal column nobody catalogued', () => {
    expect(uncatalogued([...columns, { table: 'citizens', column: 'home_address' }, { table: 'citizens', column: 'birth_date' }])).toEqual(['citizens.birth_date', 'citizens.home_address']);
  });

  it('names only columns that exist, once, with Spanish purpose and legal basis', () => {
    const existing = new Set(columns.map((c) => catalogueKey(c.table, c.column)));
    const listed = [...PERSONAL_DATA_CATALOGUE, ...NOT_PERSONAL].map((e) => catalogueKey(e.table, e.column));
    expect(listed.filter((key) => !existing.has(key))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
    for (const key of ['contacts.curp', 'contacts.nss', 'contact_identities.value', 'messages.text', 'files.storage_key', 'voice_recordings.url', 'appointments.official_id', 'survey_responses.comment', 'users.email']) {
      expect(PERSONAL_DATA_CATALOGUE.map((e) => catalogueKey(e.table, e.column))).toContain(key);
    }
    for (const entry of PERSONAL_DATA_CATALOGUE) {
      expect(entry.purpose.length, catalogueKey(entry.table, entry.column)).toBeGreaterThan(10);
      expect(entry.legalBasis.length).toBeGreaterThan(10);
    }
  });

  it('docs/privacy-catalogue.md is the generated catalogue (npm run docs:privacy)', async () => {
    expect(await readFile(`${ROOT}docs/privacy-catalogue.md`, 'utf8')).toBe(catalogueMarkdown());
  });

  it('is served to admins only', async () => {
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db);
    const admin = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    const supervisor = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaign.id] })).id);
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/catalogue', headers: bearer(admin) });
    expect(res.statusCode).toBe(200);
    expect(res.json().entries).toContainEqual(expect.objectContaining({ table: 'contacts', column: 'curp', category: 'identificación' }));
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/privacy/catalogue', headers: bearer(supervisor) })).statusCode).toBe(403);
  });
});
