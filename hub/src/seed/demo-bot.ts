import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { demoBotModel, demoKbArticles, trainWithReport, validateBotModel, type BotModel } from '@ventanilla/bots';
import { withAppointmentBooking } from '../appointments/bot/demo-booking-flow.js';
import { officialIdChecks } from '../bots/runtime/official-id-checks.js';
import type { Database } from '../db/schema.js';

/** The demo campaigns whose citizens meet the demo bot first (demo-seed.ts CAMPAIGNS). */
const DEMO_BOT_CAMPAIGNS = ['derechohabientes', 'contribuyentes'] as const;

export interface DemoBotResult {
  /** Campaigns that got the model now (empty on a restart). */
  modelsCreated: string[];
  articlesAdded: number;
  /** The API channels where the bot answers first, one per campaign. */
  botChannels: { id: string; campaign: string; name: string; secret: string }[];
}

/**
 * The demo bot (issue 7 item 6) on the demo campaigns, idempotent on every start:
 * - `demoBotModel` as version 1 production where the campaign has no model yet, trained now
 *   (the NLP.js export and the cross-validated report stored, as the console's train does);
 * - `demoKbArticles` as published articles (titles the campaign already has are skipped);
 * - the bot on a dedicated API channel per campaign and on the demo web chat, so the channels the
 *   simulator and the routing demo use still go straight to agents.
 */
export async function seedDemoBot(db: Kysely<Database>): Promise<DemoBotResult> {
  const campaigns = await db.selectFrom('campaigns').select(['id', 'slug', 'name']).where('slug', 'in', [...DEMO_BOT_CAMPAIGNS]).orderBy('slug').execute();
  const result: DemoBotResult = { modelsCreated: [], articlesAdded: 0, botChannels: [] };
  if (campaigns.length === 0) return result;

  const withModel = new Set((await db.selectFrom('bot_models').select('campaign_id').where('campaign_id', 'in', campaigns.map((c) => c.id)).execute()).map((r) => r.campaign_id));
  const needModel = campaigns.filter((c) => !withModel.has(c.id));
  if (needModel.length > 0) {
    const model = validDemoModel();
    // One training serves every campaign: the model is the same.
    const { nlu, report } = await trainWithReport(model, officialIdChecks);
    const trained = nlu.exportTrained();
    for (const campaign of needModel) {
      await db
        .insertInto('bot_models')
        .values({
          campaign_id: campaign.id,
          version: 1,
          status: 'production',
          model: JSON.stringify(model),
          trained,
          training: JSON.stringify(report),
          note: 'Modelo de demostración / demo model',
          promoted_at: new Date(),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      result.modelsCreated.push(campaign.slug);
    }
  }

  for (const campaign of campaigns) {
    const existing = new Set((await db.selectFrom('kb_articles').select('title').where('campaign_id', '=', campaign.id).execute()).map((a) => a.title));
    const missing = demoKbArticles.filter((a) => !existing.has(a.title));
    if (missing.length > 0) {
      await db.insertInto('kb_articles').values(missing.map((a) => ({ campaign_id: campaign.id, title: a.title, body: a.body, topic: a.topic, tags: a.tags, published: true }))).execute();
      result.articlesAdded += missing.length;
    }
    result.botChannels.push(await ensureBotChannel(db, campaign));
  }
  await enableOnDemoWebchat(db, campaigns.map((c) => c.id));
  return result;
}

function validDemoModel(): BotModel {
  const validated = validateBotModel(withAppointmentBooking(demoBotModel));
  if (!validated.ok) throw new Error(`demo bot model is invalid: ${validated.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return validated.model;
}

async function ensureBotChannel(db: Kysely<Database>, campaign: { id: string; name: string }): Promise<DemoBotResult['botChannels'][number]> {
  const name = `API asistente virtual — ${campaign.name}`;
  const existing = await db.selectFrom('channels').select(['id', 'secrets']).where('campaign_id', '=', campaign.id).where('name', '=', name).executeTakeFirst();
  const row =
    existing ??
    (await db
      .insertInto('channels')
      .values({
        campaign_id: campaign.id,
        kind: 'api',
        name,
        settings: JSON.stringify({ bot: { enabled: true } }),
        secrets: JSON.stringify({ signingSecret: randomBytes(24).toString('hex') }),
      })
      .returning(['id', 'secrets'])
      .executeTakeFirstOrThrow());
  return { id: row.id, campaign: campaign.name, name, secret: String(row.secrets['signingSecret'] ?? '') };
}

/** The demo page's web chat greets visitors with the bot (the widget runs its own exit survey). */
async function enableOnDemoWebchat(db: Kysely<Database>, campaignIds: string[]): Promise<void> {
  const channels = await db.selectFrom('channels').select(['id', 'settings']).where('campaign_id', 'in', campaignIds).where('kind', '=', 'webchat').execute();
  for (const channel of channels) {
    if (channel.settings['bot'] !== undefined) continue; // an admin's choice (on or off) is kept
    await db.updateTable('channels').set({ settings: JSON.stringify({ ...channel.settings, bot: { enabled: true } }), updated_at: new Date() }).where('id', '=', channel.id).execute();
  }
}
