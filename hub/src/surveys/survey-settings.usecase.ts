import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.js';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { formatProblems, parseWith } from '../router/config/routing-problem.js';
import { parseStoredSurveySettings, surveySettingsSchema, type SurveySettings } from './survey-settings.schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The campaign's survey settings with defaults filled in; 404 for an unknown campaign. */
export async function loadSurveySettings(db: Db, campaignId: string): Promise<SurveySettings> {
  const row = await db.selectFrom('campaigns').select('settings').where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return parseStoredSurveySettings(row.settings);
}

/** Bilingual problems naming the field (HUB_ERR_VALIDATION), or the settings with defaults. */
export function parseSurveySettings(input: unknown): SurveySettings {
  const parsed = parseWith(surveySettingsSchema, input);
  if (!parsed.ok) throw new HubError('HUB_ERR_VALIDATION', formatProblems(parsed.problems), { problems: parsed.problems });
  return parsed.value;
}

export interface SettingsActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Replaces `settings.survey` only: other features keep their own keys in the same jsonb column,
 * so the write touches that key in SQL instead of writing back a copy read earlier.
 */
export async function saveSurveySettings(db: Kysely<Database>, campaignId: string, input: unknown, actor: SettingsActor): Promise<SurveySettings> {
  const settings = parseSurveySettings(input);
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('campaigns').select('settings').where('id', '=', campaignId).forUpdate().executeTakeFirst();
    if (!before) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
    await trx
      .updateTable('campaigns')
      .set({ settings: sql`jsonb_set(coalesce(settings, '{}'::jsonb), '{survey}', ${JSON.stringify(settings)}::jsonb)`, updated_at: sql`now()` })
      .where('id', '=', campaignId)
      .execute();
    await recordAudit(trx, {
      action: 'survey.settings_updated',
      actorUserId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      targetType: 'campaign',
      targetId: campaignId,
      campaignId,
      details: { before: parseStoredSurveySettings(before.settings), after: settings },
    });
  });
  return settings;
}
