import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isOpenAt } from '../router/calendar/business-hours.js';
import { loadCampaignRouting } from '../router/store/routing-settings.js';
import { loadSurveySettings } from '../surveys/survey-settings.usecase.js';
import type { WidgetChannel } from './widget-channel.js';
import type { WidgetConfig } from './widget.contract.js';

/** Inside the campaign's service window (business hours and holidays, router/calendar). */
export async function campaignOpenNow(db: Kysely<Database>, campaignId: string, now = new Date()): Promise<boolean> {
  const routing = (await loadCampaignRouting(db, [campaignId])).get(campaignId);
  return routing ? isOpenAt(routing.schedule, routing.holidays, now) : false;
}

/** The campaign's enabled e-mail channel (leave-a-message, transcript by e-mail), if it has one. */
export async function campaignEmailChannelId(db: Kysely<Database>, campaignId: string): Promise<string | null> {
  const row = await db
    .selectFrom('channels')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('kind', '=', 'email')
    .where('enabled', '=', true)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** What the widget needs before the visitor types anything (public for allowed origins). */
export async function widgetConfig(db: Kysely<Database>, channel: WidgetChannel): Promise<WidgetConfig> {
  const { settings, row } = channel;
  const [open, emailChannel, survey] = await Promise.all([
    campaignOpenNow(db, row.campaign_id),
    campaignEmailChannelId(db, row.campaign_id),
    loadSurveySettings(db, row.campaign_id),
  ]);
  const topics = settings.prechat.topics;
  return {
    channelId: row.id,
    title: settings.title,
    locale: settings.locale,
    colors: settings.colors,
    position: settings.position,
    open,
    closedMessage: settings.closedMessage,
    leaveMessage: settings.leaveMessage && emailChannel !== null,
    // A topic field without topics to choose from would be a free-text box nobody can route on.
    prechat: { fields: settings.prechat.fields.filter((f) => f.name !== 'topic' || topics.length > 0), topics },
    captcha: settings.captcha.kind === 'pow' ? { kind: 'pow', difficulty: settings.captcha.difficulty } : { kind: 'none' },
    attachments: settings.attachments,
    survey: survey.enabled,
    transcriptByEmail: emailChannel !== null,
  };
}
