/**
 * Sends one request about one appointment (a reminder, a confirmation request, the survey
 * question) exactly once, whatever the number of hub processes doing the same: the row
 * `appointment_reminders (appointment_id, kind)` is claimed first with INSERT … ON CONFLICT DO
 * NOTHING — a second process waits on the unique index until the first commits, then skips. In the
 * same transaction: the notice (noticeCitizen), the history event, the outbox. The outbound jobs
 * are enqueued after commit (the outbound sweep re-enqueues any that step loses).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppointmentRequestKind } from '../../db/schema-appointment-reminders.js';
import type { AppointmentEventKind } from '../../db/schema-appointments.js';
import { HubError } from '../../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import type { AppointmentCalendar } from '../rules/appointment-rules.types.js';
import { noticeCitizen } from '../notices/citizen-notice.js';
import { noticeRoute, renderMessage, type NoticeValues, type ReminderMessage, type ReminderSettings } from './reminder-settings.schema.js';

/** What a request needs of the appointment row (and of its case, for a portal citizen). */
export interface RequestTarget {
  readonly id: string;
  readonly campaignId: string;
  readonly folio: string;
  readonly officeId: string;
  readonly roomId: string;
  readonly serviceId: string;
  readonly startsAt: Date;
  readonly contactId: string | null;
  readonly conversationId: string | null;
  readonly phone: string | null;
  readonly email: string | null;
}

export type RequestOutcome =
  | { readonly outcome: 'sent'; readonly messageIds: readonly string[]; readonly outbox: readonly OutboxRow[]; readonly channelKind: string }
  | { readonly outcome: 'already' }
  /** Cancelled (or attended …) meanwhile: nothing sent. */
  | { readonly outcome: 'inactive'; readonly status: string }
  | { readonly outcome: 'no_channel'; readonly reason: string };

const EVENT_OF: Record<AppointmentRequestKind, AppointmentEventKind> = {
  reminder: 'appointment.reminder_sent',
  confirmation: 'appointment.confirmation_requested',
  survey: 'appointment.survey_sent',
};

/** The appointments of `ids` (or matching the caller's filter) with what a request needs. */
export function requestTargets(db: Kysely<Database>) {
  return db
    .selectFrom('appointments as a')
    .leftJoin('appointment_cases as c', 'c.id', 'a.case_id')
    .select([
      'a.id',
      'a.campaign_id as campaignId',
      'a.folio',
      'a.office_id as officeId',
      'a.room_id as roomId',
      'a.service_id as serviceId',
      'a.starts_at as startsAt',
      'a.contact_id as contactId',
      'a.conversation_id as conversationId',
      'c.phone',
      'c.email',
    ]);
}

/** {fecha} «viernes 4 de diciembre», {hora} «08:20», {lugar} office (room), {servicio}: in the calendar's time zone. */
export function noticeValues(calendar: AppointmentCalendar, target: RequestTarget): NoticeValues {
  const zone = calendar.timeZone;
  const fecha = new Intl.DateTimeFormat('es-MX', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(target.startsAt);
  const hora = new Intl.DateTimeFormat('es-MX', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(target.startsAt);
  const office = calendar.offices.find((o) => o.id === target.officeId)?.name ?? target.officeId;
  const room = calendar.rooms.find((r) => r.id === target.roomId)?.name;
  const service = calendar.services.find((s) => s.id === target.serviceId)?.name ?? target.serviceId;
  return { folio: target.folio, fecha, hora, lugar: room ? `${office}, ${room}` : office, servicio: service };
}

export async function sendAppointmentRequest(
  db: Kysely<Database>,
  target: RequestTarget,
  kind: AppointmentRequestKind,
  message: ReminderMessage,
  context: { readonly settings: ReminderSettings; readonly calendar: AppointmentCalendar; readonly now: Date },
): Promise<RequestOutcome> {
  const values = noticeValues(context.calendar, target);
  const text = renderMessage(message, values);
  const route = noticeRoute(context.settings);
  return db.transaction().execute(async (trx): Promise<RequestOutcome> => {
    const claimed = await trx
      .insertInto('appointment_reminders')
      .values({ appointment_id: target.id, campaign_id: target.campaignId, kind, status: 'failed', failure: 'en curso / in progress', sent_at: context.now })
      .onConflict((oc) => oc.columns(['appointment_id', 'kind']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return { outcome: 'already' };
    // Still active? A cancellation between the caller's read and this claim wins (row lock).
    const current = await trx.selectFrom('appointments').select('status').where('id', '=', target.id).forUpdate().executeTakeFirstOrThrow();
    const wanted = kind === 'survey' ? ['attended'] : kind === 'confirmation' ? ['booked'] : ['booked', 'confirmed'];
    if (!wanted.includes(current.status)) {
      await trx.updateTable('appointment_reminders').set({ failure: `estado ${current.status} / status ${current.status}` }).where('id', '=', claimed.id).execute();
      return { outcome: 'inactive', status: current.status };
    }
    try {
      const notice = await noticeCitizen(
        trx,
        {
          campaignId: target.campaignId,
          conversationId: route.useOrigin ? target.conversationId : null,
          contactId: target.contactId,
          phone: target.phone,
          email: target.email,
          preferredKinds: route.kinds,
        },
        text,
        {
          now: context.now,
          subject: kind === 'survey' ? `Encuesta de su visita ${target.folio}` : `Su cita ${target.folio}`,
          whatsappTemplate: context.settings.whatsappTemplate ? { ...context.settings.whatsappTemplate, variables: [values.folio, values.fecha, values.hora, values.lugar, values.servicio] } : null,
        },
      );
      await trx
        .updateTable('appointment_reminders')
        .set({ status: 'sent', failure: null, conversation_id: notice.conversationId, contact_id: notice.contactId, channel_kind: notice.channelKind, message_id: notice.messageIds[0] ?? null })
        .where('id', '=', claimed.id)
        .execute();
      await trx
        .insertInto('appointment_events')
        .values({
          appointment_id: target.id,
          campaign_id: target.campaignId,
          kind: EVENT_OF[kind],
          actor_kind: 'system',
          actor_user_id: null,
          channel: notice.channelKind,
          details: JSON.stringify({ folio: target.folio, conversationId: notice.conversationId, messageId: notice.messageIds[0] ?? null, skipped: notice.skipped }),
        })
        .execute();
      const outbox = await writeOutbox(trx, [...notice.notifications]);
      return { outcome: 'sent', messageIds: notice.messageIds, outbox, channelKind: notice.channelKind };
    } catch (error) {
      // No channel reaches this citizen: recorded once (the row stays claimed), never retried every pass.
      if (!(error instanceof HubError) || error.code !== 'HUB_ERR_APPOINTMENT_NO_NOTICE_CHANNEL') throw error;
      const reason = JSON.stringify(error.details ?? {}).slice(0, 500);
      await trx.updateTable('appointment_reminders').set({ failure: reason }).where('id', '=', claimed.id).execute();
      return { outcome: 'no_channel', reason };
    }
  });
}
