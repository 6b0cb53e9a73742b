/**
 * The staff REST API of appointments (issue 11; appointments/README.md "Staff REST API"): the
 * calendar (admins edit it), the agent's 30-day view and nearest slots, booking from the inbox,
 * the list, one appointment with its history, cancellation and status changes. Every route checks
 * the caller's role and campaign; every change goes through the booking use cases and is audited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { recordAudit, requestMeta, type AuditAction } from '../../audit/audit.js';
import { authorize, type Principal } from '../../auth/principal.js';
import { appointmentViewFor } from '../../privacy/official-id-views.js';
import type { Database, Role } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { bookAppointment } from '../booking/book-appointment.usecase.js';
import { calendarViewOf } from '../booking/calendar-view.query.js';
import { loadCalendar, requireCalendar, saveCalendar } from '../booking/calendar.store.js';
import { cancelAppointment } from '../booking/cancel-appointment.usecase.js';
import { changeAppointmentStatus } from '../booking/change-status.usecase.js';
import { nearestSlots } from '../booking/nearest-slots.query.js';
import { DEFAULT_APPOINTMENT_TIME_ZONE } from '../rules/appointment-rules.types.js';
import { appointmentEvents, appointmentRowByFolio, assertCampaignExists, listAppointmentRows } from './appointment-staff.query.js';
import { bookBody, calendarViewQuery, campaignParams, cancelBody, folioParams, listQuery, saveCalendarBody, slotsQuery, statusBody } from './appointment-staff.schema.js';
import { appointmentView, freeSlotView, namesOf, offeringSlotViews, type AppointmentView, type AppointmentViewRow } from './appointment-view.js';

const tags = ['appointments'];
/** Agents book from the inbox; supervisors and admins see and act too (seed-digest §9). */
export const APPOINTMENT_VIEW_ROLES: readonly Role[] = ['admin', 'supervisor', 'agent'];
export const APPOINTMENT_EDIT_ROLES: readonly Role[] = ['admin'];

/** Role, then campaign membership, then existence: a stranger gets 403, an unknown campaign 404. */
async function allow(db: Kysely<Database>, request: FastifyRequest, roles: readonly Role[], campaignId: string): Promise<string> {
  const principal = principalOf(request);
  authorize(principal, roles, campaignId);
  await assertCampaignExists(db, campaignId);
  return principal.userId;
}

async function auditChange(
  db: Kysely<Database>,
  request: FastifyRequest,
  entry: { action: AuditAction; actorUserId: string; campaignId: string; targetId: string; details: Record<string, unknown> },
): Promise<void> {
  await recordAudit(db, { ...entry, ...requestMeta(request), targetType: entry.action === 'appointment.calendar_saved' ? 'appointment_calendar' : 'appointment' });
}

async function viewsOf(db: Kysely<Database>, campaignId: string, rows: readonly AppointmentViewRow[], viewer: Principal): Promise<AppointmentView[]> {
  const loaded = await loadCalendar(db, campaignId);
  const names = namesOf(loaded?.calendar);
  const timeZone = loaded?.calendar.timeZone ?? DEFAULT_APPOINTMENT_TIME_ZONE;
  // Official ids masked for agents (privacy/official-id-views.ts).
  return rows.map((row) => appointmentViewFor(viewer, appointmentView(row, timeZone, names)));
}

async function viewByFolio(db: Kysely<Database>, campaignId: string, folio: string, viewer: Principal): Promise<AppointmentView> {
  const [view] = await viewsOf(db, campaignId, [await appointmentRowByFolio(db, campaignId, folio)], viewer);
  if (!view) throw new HubError('HUB_ERR_INTERNAL');
  return view;
}

export function appointmentStaffRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/appointments/campaigns/:campaignId/calendar',
      { schema: { tags, summary: 'Calendario de citas vigente y sus reglas / the appointment calendar in force and its rules', params: campaignParams } },
      async (request) => {
        const { campaignId } = request.params;
        await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        return requireCalendar(db, campaignId);
      },
    );

    app.put(
      '/appointments/campaigns/:campaignId/calendar',
      { schema: { tags, summary: 'Guardar una nueva versión del calendario (solo admin) / save a new calendar version (admin)', params: campaignParams, body: saveCalendarBody } },
      async (request) => {
        const { campaignId } = request.params;
        const userId = await allow(db, request, APPOINTMENT_EDIT_ROLES, campaignId);
        const saved = await saveCalendar(db, { campaignId, definition: request.body.definition, rules: request.body.rules ?? {} }, userId);
        await auditChange(db, request, { action: 'appointment.calendar_saved', actorUserId: userId, campaignId, targetId: campaignId, details: { version: saved.version } });
        return saved;
      },
    );

    app.get(
      '/appointments/campaigns/:campaignId/calendar-view',
      { schema: { tags, summary: 'Vista de 30 días con los horarios libres por día / the 30-day view with free slots per day', params: campaignParams, querystring: calendarViewQuery } },
      async (request) => {
        const { campaignId } = request.params;
        await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        const q = request.query;
        const view = await calendarViewOf(db, campaignId, {
          serviceId: q.serviceId,
          ...(q.officeId === undefined ? {} : { officeId: q.officeId }),
          ...(q.roomId === undefined ? {} : { roomId: q.roomId }),
          ...(q.from === undefined ? {} : { from: q.from }),
          ...(q.days === undefined ? {} : { days: q.days }),
        });
        const names = namesOf(view.calendar);
        return {
          timeZone: view.timeZone,
          days: view.days.map((day) => ({ ...day, slots: day.slots.map((slot) => freeSlotView(view.calendar, slot, names)) })),
        };
      },
    );

    app.get(
      '/appointments/campaigns/:campaignId/slots',
      { schema: { tags, summary: 'Los horarios libres más próximos / the nearest free slots', params: campaignParams, querystring: slotsQuery } },
      async (request) => {
        const { campaignId } = request.params;
        await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        const q = request.query;
        const { calendar } = await requireCalendar(db, campaignId);
        const slots = await nearestSlots(db, campaignId, {
          serviceId: q.serviceId,
          ...(q.officeId === undefined ? {} : { officeId: q.officeId }),
          ...(q.roomId === undefined ? {} : { roomId: q.roomId }),
          ...(q.from === undefined ? {} : { from: new Date(q.from) }),
          ...(q.limit === undefined ? {} : { limit: q.limit }),
        });
        const names = namesOf(calendar);
        return { slots: slots.map((slot) => freeSlotView(calendar, slot, names)) };
      },
    );

    app.post(
      '/appointments/campaigns/:campaignId/appointments',
      { schema: { tags, summary: 'Agendar una cita desde la bandeja / book an appointment from the inbox', params: campaignParams, body: bookBody } },
      async (request, reply) => {
        const { campaignId } = request.params;
        const userId = await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        const body = request.body;
        const booked = await offeringSlotViews(
          async () => (await loadCalendar(db, campaignId))?.calendar,
          () => bookAppointment(db, { ...body, campaignId, familyGroupId: body.familyGroupId ?? body.officialId.value, channel: 'agent' }, { kind: 'user', userId }),
        );
        await auditChange(db, request, {
          action: 'appointment.booked',
          actorUserId: userId,
          campaignId,
          targetId: booked.id,
          details: { folio: booked.folio, roomId: booked.roomId, serviceId: booked.serviceId, startsAt: booked.startsAt },
        });
        return reply.status(201).send({ appointment: await viewByFolio(db, campaignId, booked.folio, principalOf(request)) });
      },
    );

    app.get(
      '/appointments/campaigns/:campaignId/appointments',
      { schema: { tags, summary: 'Citas por fecha, oficina, consultorio, estado o folio / appointments by date, office, room, status or folio', params: campaignParams, querystring: listQuery } },
      async (request) => {
        const { campaignId } = request.params;
        await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        const { date, from, to, ...rest } = request.query;
        const rows = await listAppointmentRows(db, campaignId, {
          ...rest,
          ...(date !== undefined ? { from: date, to: date } : {}),
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
        });
        return { appointments: await viewsOf(db, campaignId, rows, principalOf(request)) };
      },
    );

    app.get(
      '/appointments/campaigns/:campaignId/appointments/:folio',
      { schema: { tags, summary: 'Una cita y su historial / one appointment and its history', params: folioParams } },
      async (request) => {
        const { campaignId, folio } = request.params;
        const userId = await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        const appointment = await viewByFolio(db, campaignId, folio, principalOf(request));
        // The detail shows the citizen's NSS/CURP and birth date: who opened it is on record (LFPDPPP).
        await auditChange(db, request, { action: 'appointment.viewed', actorUserId: userId, campaignId, targetId: appointment.id, details: { folio } });
        return { appointment, events: await appointmentEvents(db, appointment.id) };
      },
    );

    app.post(
      '/appointments/campaigns/:campaignId/appointments/:folio/cancel',
      { schema: { tags, summary: 'Cancelar una cita (con al menos 12 h de anticipación) / cancel an appointment (12 h ahead)', params: folioParams, body: cancelBody } },
      async (request) => {
        const { campaignId, folio } = request.params;
        const userId = await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        // Staff act for the citizen: the row's own official id stands in for the one a citizen must give.
        const row = await appointmentRowByFolio(db, campaignId, folio);
        const cancelled = await cancelAppointment(
          db,
          { campaignId, appointmentId: row.id, officialId: row.official_id, reason: request.body.reason, channel: 'agent' },
          { kind: 'user', userId },
        );
        await auditChange(db, request, { action: 'appointment.cancelled', actorUserId: userId, campaignId, targetId: row.id, details: { folio: cancelled.folio, reason: request.body.reason } });
        return { appointment: await viewByFolio(db, campaignId, cancelled.folio, principalOf(request)) };
      },
    );

    app.post(
      '/appointments/campaigns/:campaignId/appointments/:folio/status',
      { schema: { tags, summary: 'Confirmar o registrar asistencia / inasistencia / confirm, or record attended / no-show', params: folioParams, body: statusBody } },
      async (request) => {
        const { campaignId, folio } = request.params;
        const userId = await allow(db, request, APPOINTMENT_VIEW_ROLES, campaignId);
        const row = await appointmentRowByFolio(db, campaignId, folio);
        const changed = await changeAppointmentStatus(
          db,
          { campaignId, appointmentId: row.id, to: request.body.to, channel: 'agent', ...(request.body.note === undefined ? {} : { note: request.body.note }) },
          { kind: 'user', userId },
        );
        if (changed.changed) {
          await auditChange(db, request, {
            action: 'appointment.status_changed',
            actorUserId: userId,
            campaignId,
            targetId: row.id,
            details: { folio: row.folio, from: row.status, to: changed.status, ...(request.body.note === undefined ? {} : { note: request.body.note }) },
          });
        }
        return { appointment: await viewByFolio(db, campaignId, row.folio, principalOf(request)) };
      },
    );
  };
}
