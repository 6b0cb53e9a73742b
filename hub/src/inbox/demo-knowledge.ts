import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { DEMO_KNOWLEDGE, type DemoCode } from './demo-knowledge.data.js';

type Db = Kysely<Database> | Transaction<Database>;

async function insertCodes(trx: Transaction<Database>, campaignId: string, codes: readonly DemoCode[], parentId: string | null, depth: number): Promise<void> {
  for (const [position, node] of codes.entries()) {
    const row = await trx
      .insertInto('disposition_codes')
      .values({ campaign_id: campaignId, parent_id: parentId, code: node.code, label: node.label, position, depth })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertCodes(trx, campaignId, node.children ?? [], row.id, depth + 1);
  }
}

const isEmpty = async (db: Db, table: 'canned_responses' | 'disposition_codes' | 'kb_articles', campaignId: string) =>
  !(await db.selectFrom(table).select('id').where('campaign_id', '=', campaignId).limit(1).executeTakeFirst());

/**
 * Canned responses, tipification tree and KB articles of the demo campaigns (by slug). Each kind is
 * written only where the campaign has none, so a demo seeded before these existed gains them and
 * a second run writes nothing.
 */
export async function seedDemoKnowledge(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const campaigns = await trx.selectFrom('campaigns').select(['id', 'slug']).where('slug', 'in', Object.keys(DEMO_KNOWLEDGE)).forUpdate().execute();
    for (const { id, slug } of campaigns) {
      const knowledge = DEMO_KNOWLEDGE[slug];
      if (!knowledge) continue;
      if (await isEmpty(trx, 'canned_responses', id)) {
        await trx.insertInto('canned_responses').values(knowledge.canned.map((c) => ({ campaign_id: id, ...c }))).execute();
      }
      if (await isEmpty(trx, 'disposition_codes', id)) await insertCodes(trx, id, knowledge.codes, null, 1);
      if (await isEmpty(trx, 'kb_articles', id)) {
        await trx.insertInto('kb_articles').values(knowledge.articles.map((a) => ({ campaign_id: id, ...a }))).execute();
      }
    }
  });
}
