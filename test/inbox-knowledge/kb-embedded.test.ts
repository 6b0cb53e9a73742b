import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '@ventanilla/hub';
import { searchKbArticles } from '../../hub/src/inbox/kb-search.js';
import { createCampaign } from '../support/factories.js';

/**
 * `npm run demo` runs on the embedded PGlite, which cannot load the unaccent extension: migration
 * 0005 folds accents with its own function, and the search must behave the same there.
 */
describe('knowledge-base search on the embedded database (PGlite)', () => {
  let dataDir: string;
  let db: Db;
  let campaignId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ventanilla-kb-embedded-'));
    db = await openDatabase({ DATABASE_URL: undefined, DATABASE_SCHEMA: 'public', DATABASE_POOL_SIZE: 1, DATA_DIR: dataDir });
    expect(await migrate(db)).toContain('0005_canned_dispositions_kb');
    campaignId = (await createCampaign(db.kysely, { prefix: 'KBE' })).id;
    await db.kysely
      .insertInto('kb_articles')
      .values([
        { campaign_id: campaignId, title: '¿CÓMO consulto mi vigencia de derechos?', topic: 'Afiliación', tags: ['vigencia'], published: true, body: 'Con su CURP y NSS en el portal.' },
        { campaign_id: campaignId, title: 'Derechos de los patrones', topic: 'Patrones', tags: [], published: true, body: 'La vigencia del registro patronal.' },
        { campaign_id: campaignId, title: 'Pensión por vejez', topic: 'Pensiones', tags: ['AÑOS'], published: true, body: 'Requiere 65 años de edad.' },
        { campaign_id: campaignId, title: 'Borrador de vigencia', topic: 'Afiliación', tags: [], published: false, body: 'Sin publicar.' },
      ])
      .execute();
  });

  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const titles = async (q: string, includeDrafts = false) => (await searchKbArticles(db.kysely, { campaignId, q, limit: 20, includeDrafts })).map((h) => h.title);

  it('ranks the title match first, folds accents and upper case, and hides drafts unless asked', async () => {
    expect(await titles('vigencia derechos')).toEqual(['¿CÓMO consulto mi vigencia de derechos?', 'Derechos de los patrones']);
    expect(await titles('como consulto')).toEqual(['¿CÓMO consulto mi vigencia de derechos?']);
    expect(await titles('PENSION')).toEqual(['Pensión por vejez']);
    expect(await titles('anos')).toEqual(['Pensión por vejez']);
    expect(await titles('vigencia', true)).toContain('Borrador de vigencia');
    expect(await titles('vigencia')).not.toContain('Borrador de vigencia');
    // Only stop words: nothing to search for on PGlite either, and no error.
    expect(await titles('de la')).toEqual([]);
  });
});
