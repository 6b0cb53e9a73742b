import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { formatProblems, parseWith } from '../../router/config/routing-problem.js';
import type { SettingsActor } from '../../surveys/survey-settings.usecase.js';
import { parseStoredVoiceSurveySettings, voiceSurveySettingsSchema, type VoiceSurveySettings } from './voice-survey-settings.schema.js';

/** The campaign's keypad survey with defaults filled in; 404 for an unknown campaign. */
export async function loadVoiceSurveySettings(db: Kysely<Database>, campaignId: string): Promise<VoiceSurveySettings> {
  const row = await db.selectFrom('campaigns').select('settings').where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return parseStoredVoiceSurveySettings(row.settings);
}

/**
 * Replaces `settings.voiceSurvey` only (other features keep their keys in the same jsonb), in SQL
 * rather than writing back a copy read earlier; audited as the web survey's settings are, with
 * `channel: voice` in the details.
 */
export async function saveVoiceSurveySettings(db: Kysely<Database>, campaignId: string, input: unknown, actor: SettingsActor): Promise<VoiceSurveySettings> {
  const parsed = parseWith(voiceSurveySettingsSchema, input);
  if (!parsed.ok) throw new HubError('HUB_ERR_VALIDATION', formatProblems(parsed.problems), { problems: parsed.problems });
  const settings = parsed.value;
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('campaigns').select('settings').where('id', '=', campaignId).forUpdate().executeTakeFirst();
    if (!before) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
    await trx
      .updateTable('campaigns')
      .set({ settings: sql`jsonb_set(coalesce(settings, '{}'::jsonb), '{voiceSurvey}', ${JSON.stringify(settings)}::jsonb)`, updated_at: sql`now()` })
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
      details: { channel: 'voice', before: parseStoredVoiceSurveySettings(before.settings), after: settings },
    });
  });
  return settings;
}
