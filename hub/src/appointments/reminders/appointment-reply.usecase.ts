/**
 * The ingest worker's appointment hook (issue 11 item 4): after a citizen's message is stored and
 * before the bot is asked, a SÍ / NO answering a pending reminder or confirmation request, or a
 * 1–5 score answering the survey, is handled here:
 *  - SÍ → changeAppointmentStatus(to confirmed, actor citizen, the row's own NSS/CURP);
 *  - NO → cancelAppointment (frees the slot); inside the 12 h the rules refuse it and the
 *    citizen is told so (the request stays open: a SÍ still confirms);
 *  - score → appointment_surveys (within 48 h of the question).
 * The citizen gets a Spanish acknowledgement on the same conversation and the bot is not asked.
 * A conversation the reply itself opened (the notice went into one already closed) is closed
 * again: nothing there for an agent. Anything else, or a contact with nothing pending: not
 * handled, the normal flow goes on.
 *
 * Idempotent per message (appointment_replies, claimed first): a retried ingest job answers
 * "handled" without acting twice.
 */
import { sql, type Transaction } from 'kysely';
import type { InboundContent } from '@ventanilla/connectors/core';
import type { Database } from '../../db/schema.js';
import type { AppointmentAnswer } from '../../db/schema-appointment-reminders.js';
import { appendEvents } from '../../domain/interaction-events.js';
import { HubError } from '../../errors/error-registry.js';
import { writeOutbox, type OutboxRow } from '../../outbox/outbox.js';
import { enqueueOutbound } from '../../queues/outbound-jobs.js';
import { routedNotification } from '../../router/usecases/router-effects.js';
import { cancelAppointment } from '../booking/cancel-appointment.usecase.js';
import { changeAppointmentStatus } from '../booking/change-status.usecase.js';
import { noticeCitizen } from '../notices/citizen-notice.js';
import { surveyScoreOf, yesNoOf } from './appointment-reply.js';
import type { ReminderDeps } from './request-delivery.js';

export type ReplyHandled = { readonly handled: false } | { readonly handled: true; readonly outcome: string; readonly appointmentId: string };

/** A survey answer counts within this long after the question. */
const SURVEY_ANSWER_MS = 48 * 3_600_000;

const CHANNEL_OF: Record<string, 'whatsapp' | 'webchat' | 'sms' | 'api' | 'voice' | 'email'> = {
  whatsapp: 'whatsapp',
  whatsapp_web: 'whatsapp',
  webchat: 'webchat',
  sms: 'sms',
  voice: 'voice',
  email: 'email',
};

function formatWhen(startsAt: Date, timeZone: string): string {
  const date = new Intl.DateTimeFormat('es-MX', { timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(startsAt);
  const time = new Intl.DateTimeFormat('es-MX', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(startsAt);
  return `${date} a las ${time}`;
}

/** The inbound content as decoded (the ingest worker has it): most messages are no answer at all, and cost no query. */
export function mayAnswer(content: InboundContent): boolean {
  if (content.type !== 'text' && content.type !== 'interactive') return false;
  const reply = { contentType: content.type, text: content.text, replyId: content.type === 'interactive' ? content.replyId : null };
  return yesNoOf(reply) !== null || surveyScoreOf(reply) !== null;
}

export async function handleAppointmentReply(ctx: ReminderDeps, messageId: string, options: { readonly now?: Date; readonly content?: InboundContent } = {}): Promise<ReplyHandled> {
  if (options.content && !mayAnswer(options.content)) return { handled: false };
  const db = ctx.db.kysely;
  const now = options.now ?? new Date();
  const message = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .innerJoin('channels as ch', 'ch.id', 'c.channel_id')
    .select(['m.id', 'm.direction', 'm.content_type', 'm.text', 'm.raw', 'c.id as conversationId', 'c.contact_id as contactId', 'c.campaign_id as campaignId', 'ch.kind as channelKind'])
    .where('m.id', '=', messageId)
    .executeTakeFirst();
  if (!message || message.direction !== 'inbound') return { handled: false };
  const previous = await db.selectFrom('appointment_replies').select(['outcome', 'appointment_id']).where('message_id', '=', messageId).executeTakeFirst();
  if (previous) return { handled: true, outcome: previous.outcome, appointmentId: previous.appointment_id };

  // The newest request of this citizen still waiting for an answer (on any of the campaign's channels).
  const pending = await db
    .selectFrom('appointment_reminders as r')
    .innerJoin('appointments as a', 'a.id', 'r.appointment_id')
    .innerJoin('appointment_calendars as cal', (join) => join.onRef('cal.campaign_id', '=', 'a.campaign_id').onRef('cal.version', '=', 'a.calendar_version'))
    .select(['r.id as reminderId', 'r.kind', 'r.sent_at', 'a.id', 'a.folio', 'a.status', 'a.starts_at', 'a.official_id', 'a.office_id', sql<string>`coalesce(cal.definition->>'timeZone', 'America/Mexico_City')`.as('timeZone')])
    .where('r.contact_id', '=', message.contactId)
    .where('r.campaign_id', '=', message.campaignId)
    .where('r.status', '=', 'sent')
    .where('r.answered_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('r.kind', 'in', ['reminder', 'confirmation']), eb('a.status', 'in', ['booked', 'confirmed']), eb('a.starts_at', '>', now)]),
        eb.and([eb('r.kind', '=', 'survey'), eb('r.sent_at', '>', new Date(now.getTime() - SURVEY_ANSWER_MS))]),
      ]),
    )
    .orderBy('r.sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!pending) return { handled: false };

  const replyId = replyIdOf(message.raw);
  const content = { contentType: message.content_type, text: message.text, replyId };
  const answer: AppointmentAnswer | null = pending.kind === 'survey' ? (surveyScoreOf(content) ? 'score' : null) : yesNoOf(content);
  if (answer === null) return { handled: false };

  // Claim the message: a retried job (or a second worker) stops here.
  const claimed = await db
    .insertInto('appointment_replies')
    .values({ message_id: message.id, reminder_id: pending.reminderId, appointment_id: pending.id, answer, outcome: 'in_progress' })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  if (!claimed) return { handled: true, outcome: 'already', appointmentId: pending.id };

  const channel = CHANNEL_OF[message.channelKind] ?? 'api';
  const when = formatWhen(pending.starts_at, pending.timeZone);
  let outcome: string;
  let ack: string;
  let answered = true;
  if (answer === 'yes') {
    try {
      const changed = await changeAppointmentStatus(db, { campaignId: message.campaignId, appointmentId: pending.id, to: 'confirmed', officialId: pending.official_id, channel }, { kind: 'citizen' }, { now });
      outcome = changed.changed ? 'confirmed' : 'already_confirmed';
      ack = changed.changed
        ? `¡Gracias! Su cita ${pending.folio} del ${when} quedó confirmada. Le esperamos.`
        : `Su cita ${pending.folio} del ${when} ya estaba confirmada. Le esperamos.`;
    } catch (error) {
      if (!(error instanceof HubError) || error.code !== 'HUB_ERR_APPOINTMENT_STATUS_REFUSED') throw error;
      outcome = 'confirm_refused';
      ack = `No fue posible confirmar su cita ${pending.folio}: ${spanishOf(error.message)}.`;
    }
  } else if (answer === 'no') {
    try {
      await cancelAppointment(db, { campaignId: message.campaignId, appointmentId: pending.id, officialId: pending.official_id, reason: 'Cancelada por el ciudadano (respondió NO)', channel }, { kind: 'citizen' }, { now });
      outcome = 'cancelled';
      ack = `Su cita ${pending.folio} del ${when} fue cancelada y el horario quedó libre. Si desea una nueva cita, escríbanos.`;
    } catch (error) {
      if (!(error instanceof HubError) || error.code !== 'HUB_ERR_APPOINTMENT_CANCEL_REFUSED') throw error;
      outcome = 'cancel_refused';
      // Still open: the citizen may yet answer SÍ.
      answered = false;
      ack = `No es posible cancelar su cita ${pending.folio} del ${when}: ${spanishOf(error.message)}. Si no podrá asistir, comuníquese con nosotros.`;
    }
  } else {
    const score = surveyScoreOf(content);
    outcome = 'scored';
    ack = '¡Gracias por su respuesta! Nos ayuda a mejorar la atención.';
    if (score) {
      await db
        .insertInto('appointment_surveys')
        .values({ appointment_id: pending.id, campaign_id: message.campaignId, office_id: pending.office_id, score: score.score, comment: score.comment, message_id: message.id, answered_at: now })
        .onConflict((oc) => oc.column('appointment_id').doNothing())
        .execute();
    }
  }

  const stored = await db.transaction().execute(async (trx) => {
    await trx.updateTable('appointment_replies').set({ outcome }).where('message_id', '=', message.id).execute();
    if (answered) await trx.updateTable('appointment_reminders').set({ answer, answered_at: now }).where('id', '=', pending.reminderId).where('answered_at', 'is', null).execute();
    const notice = await noticeCitizen(trx, { campaignId: message.campaignId, conversationId: message.conversationId }, ack, { now });
    const outbox = await writeOutbox(trx, [...notice.notifications]);
    outbox.push(...(await closeIfOpenedByReply(trx, message.conversationId, message.id)));
    return { messageIds: notice.messageIds, outbox };
  });
  ctx.relay.publishCommitted(stored.outbox);
  for (const id of stored.messageIds) {
    await enqueueOutbound(ctx, id).catch((error: unknown) => ctx.logger.warn({ err: error, messageId: id }, 'appointment acknowledgement stored but not enqueued yet'));
  }
  return { handled: true, outcome, appointmentId: pending.id };
}

/** `es / en` → the Spanish part (the citizen reads Spanish; the acknowledgement is one sentence). */
function spanishOf(message: string): string {
  return (message.split(' / ')[0] ?? message).replace(/[.\s]+$/, '');
}

function replyIdOf(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object' || !('replyId' in raw)) return null;
  return typeof raw.replyId === 'string' ? raw.replyId : null;
}

/**
 * The reply opened this conversation (its only inbound message) and no agent holds it: closed as
 * resolved by the system, so the router and the bot leave it alone.
 */
async function closeIfOpenedByReply(trx: Transaction<Database>, conversationId: string, messageId: string): Promise<OutboxRow[]> {
  const conversation = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
  if (!conversation || conversation.closed_at !== null || conversation.assignee_id !== null) return [];
  if (conversation.status !== 'queued' && conversation.status !== 'bot') return [];
  const earlier = await trx
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound')
    .where('id', '!=', messageId)
    .limit(1)
    .executeTakeFirst();
  if (earlier) return [];
  const closed = await trx
    .updateTable('conversations')
    .set({ status: 'resolved', offer_id: null, closed_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
    .where('id', '=', conversationId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'system', actorId: 'appointments' }, [
    { type: 'conversation.resolved', conversationId, payload: { agentId: null, reason: 'Respuesta a un aviso de cita atendida automáticamente / appointment reply handled automatically' } },
  ]);
  return writeOutbox(trx, [routedNotification(closed, 'resolved')]);
}
