import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/** Audited actions (seed L2912: unannounced audits of change and access logs). */
export type AuditAction =
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.refresh_reused'
  | 'auth.locked_out'
  // TOTP second factor (issue 12 part 3, hub/src/auth/totp/).
  | 'auth.totp_failed'
  | 'auth.totp_enabled'
  | 'auth.totp_disabled'
  | 'auth.totp_recovery_used'
  | 'user.totp_reset'
  | 'user.password_changed'
  | 'user.created'
  | 'user.roles_changed'
  | 'user.memberships_changed'
  | 'user.disabled'
  | 'user.enabled'
  | 'campaign.created'
  | 'campaign.updated'
  | 'channel.created'
  | 'channel.updated'
  | 'contact.updated'
  | 'contact.identity_added'
  | 'contact.merged'
  | 'data.exported'
  | 'routing.skill_created'
  | 'routing.queue_created'
  | 'routing.queue_updated'
  | 'routing.queue_deleted'
  | 'routing.settings_updated'
  | 'survey.settings_updated'
  | 'routing.agent_skills_set'
  | 'routing.agent_capacity_set'
  | 'canned_response.created'
  | 'canned_response.updated'
  | 'canned_response.deleted'
  | 'disposition_code.created'
  | 'disposition_code.updated'
  | 'kb_article.created'
  | 'kb_article.updated'
  | 'kb_article.deleted'
  | 'mass_mailing.created'
  | 'mass_mailing.updated'
  | 'mass_mailing.recipients_uploaded'
  | 'mass_mailing.scheduled'
  | 'mass_mailing.paused'
  | 'mass_mailing.resumed'
  | 'mass_mailing.cancelled'
  | 'mass_sms.created'
  | 'mass_sms.updated'
  | 'mass_sms.recipients_uploaded'
  | 'mass_sms.scheduled'
  | 'mass_sms.paused'
  | 'mass_sms.resumed'
  | 'mass_sms.cancelled'
  | 'voice_blast.created'
  | 'voice_blast.recipients_uploaded'
  | 'voice_blast.scheduled'
  | 'voice_blast.paused'
  | 'voice_blast.resumed'
  | 'voice_blast.cancelled'
  | 'ivr_model.draft_saved'
  | 'ivr_model.promoted'
  | 'bot_model.created'
  | 'bot_model.updated'
  | 'bot_model.trained'
  | 'bot_model.promoted'
  | 'bot_model.rolled_back'
  | 'bot_model.imported'
  | 'bot_model.exported'
  | 'bot_turn.phrase_added'
  | 'bot_turn.dismissed'
  | 'bot_turn.flagged_wrong'
  | 'voice_call.held'
  | 'voice_call.resumed'
  | 'voice_call.hung_up'
  | 'voice_call.transferred'
  | 'voice_call.conferenced'
  | 'voice_agent.endpoint_set'
  | 'voice_recording.played'
  | 'report_token.created'
  | 'report_token.revoked'
  | 'wallboard.threshold_created'
  | 'wallboard.threshold_updated'
  | 'wallboard.threshold_deleted'
  | 'quality_scorecard.created'
  | 'quality_scorecard.updated'
  | 'quality_scorecard.activated'
  | 'quality_scorecard.deleted'
  | 'quality_sample.drawn'
  | 'quality_sample.redrawn'
  | 'quality_item.assigned'
  | 'quality_evaluation.saved'
  | 'quality_evaluation.revised'
  | 'supervision.monitor_started'
  | 'supervision.monitor_stopped'
  | 'supervision.whispered'
  | 'supervision.barged'
  | 'supervision.mode_changed'
  | 'supervision.taken_over'
  | 'sla_table.draft_saved'
  | 'sla_table.activated'
  | 'sla_contract.updated'
  | 'sla_invoice.set'
  | 'sla_outage.created'
  | 'sla_outage.deleted'
  | 'sla_evaluation.proposed'
  | 'sla_evaluation.row_decided'
  | 'sla_evaluation.validated'
  // Billing (issue 10).
  | 'billing.rate_card_draft_saved'
  | 'billing.rate_card_activated'
  | 'billing.penalty_created'
  | 'billing.penalty_deleted'
  | 'billing.usage_recomputed'
  | 'billing.month_closed'
  | 'billing.statement_exported'
  // Appointments (issue 11).
  | 'appointment.calendar_saved'
  | 'appointment.booked'
  | 'appointment.cancelled'
  | 'appointment.status_changed'
  | 'appointment.viewed'
  | 'appointment.report_exported'
  | 'appointment.procedure_saved'
  | 'appointment.case_assigned'
  | 'appointment.document_reviewed'
  | 'appointment.reminders_configured'
  | 'appointment.confirmation_campaign_started'
  | 'appointment.external_configured'
  | 'appointment.reconciled'
  // Data protection, LFPDPPP (issue 12 part 4, hub/src/privacy/).
  | 'privacy.retention_updated'
  | 'privacy.purge_completed'
  | 'privacy.certificate_exported'
  | 'privacy.arco_created'
  | 'privacy.arco_exported'
  | 'privacy.arco_rectified'
  | 'privacy.arco_cancelled'
  | 'privacy.arco_resolved';

export interface AuditEntry {
  action: AuditAction;
  actorUserId?: string | null;
  actorLabel?: string | null;
  targetType?: string;
  targetId?: string;
  campaignId?: string | null;
  outcome?: 'success' | 'failure';
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to audit_log (append-only by trigger). Pass the transaction that made the change. */
export async function recordAudit(db: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      action: entry.action,
      actor_user_id: entry.actorUserId ?? null,
      actor_label: entry.actorLabel ?? null,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      campaign_id: entry.campaignId ?? null,
      outcome: entry.outcome ?? 'success',
      ip: entry.ip ?? null,
      user_agent: entry.userAgent ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** Request metadata for audit entries. */
export function requestMeta(request: { ip: string; headers: Record<string, string | string[] | undefined> }): { ip: string; userAgent: string | null } {
  const ua = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null };
}
