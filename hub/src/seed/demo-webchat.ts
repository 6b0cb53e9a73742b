import type { Kysely } from 'kysely';
import { webchatChannelSettingsSchema } from '@ventanilla/connectors';
import type { Database } from '../db/schema.js';

/** The demo campaign whose web chat the demo page embeds. */
export const DEMO_WEBCHAT_CAMPAIGN = 'derechohabientes';

/**
 * A web chat widget channel on the demo campaign (issue 5), allowed on the hub's own origin so
 * /widget-demo.html works as printed. Run on every start: a demo seeded before the widget existed
 * gains the channel, and a hub started on another URL adds that origin (never removes one).
 */
export async function seedDemoWebchat(db: Kysely<Database>, origins: readonly string[]): Promise<string | null> {
  const campaign = await db.selectFrom('campaigns').select('id').where('slug', '=', DEMO_WEBCHAT_CAMPAIGN).executeTakeFirst();
  if (!campaign) return null;
  const existing = await db.selectFrom('channels').select(['id', 'settings']).where('campaign_id', '=', campaign.id).where('kind', '=', 'webchat').orderBy('created_at').executeTakeFirst();
  if (existing) {
    const current = webchatChannelSettingsSchema.safeParse(existing.settings);
    if (!current.success) return existing.id;
    const merged = [...new Set([...current.data.allowedOrigins, ...origins])];
    if (merged.length !== current.data.allowedOrigins.length) {
      await db.updateTable('channels').set({ settings: JSON.stringify({ ...existing.settings, allowedOrigins: merged }), updated_at: new Date() }).where('id', '=', existing.id).execute();
    }
    return existing.id;
  }
  const settings = webchatChannelSettingsSchema.parse({
    title: 'IMSS Digital — Chat de orientación',
    allowedOrigins: [...new Set(origins)],
    prechat: {
      fields: [
        { name: 'name', required: true },
        { name: 'email', required: false },
        { name: 'phone', required: false },
        { name: 'topic', required: true },
      ],
      topics: [
        { id: 'pension', label: 'Pensiones' },
        { id: 'citas', label: 'Citas médicas' },
        { id: 'incapacidades', label: 'Incapacidades' },
        { id: 'otro', label: 'Otro tema' },
      ],
    },
  });
  const row = await db
    .insertInto('channels')
    .values({ campaign_id: campaign.id, kind: 'webchat', name: 'Chat web — Derechohabientes', settings: JSON.stringify(settings), secrets: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The page origins a hub on `url` is reached from: the URL's own, and localhost ⇄ 127.0.0.1. */
export function demoOrigins(url: string): string[] {
  const origin = new URL(url).origin;
  const swapped = origin.includes('://127.0.0.1') ? origin.replace('://127.0.0.1', '://localhost') : origin.includes('://localhost') ? origin.replace('://localhost', '://127.0.0.1') : null;
  return swapped ? [origin, swapped] : [origin];
}
