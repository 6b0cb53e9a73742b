import fastifyMultipart from '@fastify/multipart';
import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppointmentCaseRow } from '../../db/schema-appointment-procedures.js';
import { HubError } from '../../errors/error-registry.js';
import { FileStore } from '../../files/file-store.js';
import { documented, parseBody } from '../../inbox/inbox-http.js';
import { bilingual } from '../../router/config/routing-problem.js';
import type { HubContext } from '../../runtime/context.js';
import { RateLimitedError, RateLimiter, type RateLimit } from '../../webchat/rate-limiter.js';
import { bookAppointment } from '../booking/book-appointment.usecase.js';
import { loadCalendar, requireCalendar } from '../booking/calendar.store.js';
import { offeringSlotViews } from '../http/appointment-view.js';
import { cancelAppointment } from '../booking/cancel-appointment.usecase.js';
import { changeAppointmentStatus } from '../booking/change-status.usecase.js';
import { nearestSlots } from '../booking/nearest-slots.query.js';
import { ACTIVE_STATUSES } from '../rules/appointment-rules.types.js';
import { caseByFolio } from './case-state.js';
import { caseView, toFreeSlotView } from './case-view.js';
import { openCase } from './open-case.usecase.js';
import { caseInputSchema, caseViewSchema, freeSlotViewSchema, MAX_DOCUMENT_BYTES, portalProcedureViewSchema } from './procedure.schema.js';
import { loadProcedure, toProcedure } from './procedure.store.js';
import { uploadCaseDocument } from './upload-document.usecase.js';

/** Every portal request, per IP: bounds guessing folio + id pairs. */
const PER_IP: RateLimit = { bucket: 'portal-ip', limit: 300, windowSeconds: 600 };
/** New cases per IP an hour (a family, or a shared office, opens a few). */
const CASES_PER_IP: RateLimit = { bucket: 'portal-cases-ip', limit: 20, windowSeconds: 3600 };
/** Uploads per IP an hour (a few documents per case, some uploaded twice). */
const UPLOADS_PER_IP: RateLimit = { bucket: 'portal-uploads-ip', limit: 60, windowSeconds: 3600 };

const folioParams = z.object({ folio: z.string().max(40) });
const caseAnswer = z.object({ case: caseViewSchema });
const officialIdHeader = { 'x-official-id': z.string().max(18).optional().describe('El NSS o la CURP con que se abrió el trámite / the NSS or CURP the case was opened with') };
const bookingBody = z.strictObject({
  roomId: z.string().min(1).max(100),
  startsAt: z.iso.datetime({ offset: true, message: bilingual('use una fecha y hora ISO-8601', 'use an ISO-8601 instant') }),
});

function tooLarge(maxBytes: number): HubError {
  const mb = `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB`;
  return new HubError('HUB_ERR_FILE_TOO_LARGE', `El archivo excede el máximo de ${mb} / the file is larger than ${mb}`, { maxBytes });
}

function isFileTooLarge(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'FST_REQ_FILE_TOO_LARGE';
}

/**
 * The citizens' portal (/portal/v1, no session; appointments/README.md "Public portal API"): the
 * procedures and their requirements, open a case, upload its documents, follow it by folio at any
 * hour, then book and cancel. Every case route proves the case with its folio and the NSS/CURP in
 * `x-official-id`; a wrong one reads as not found.
 */
export function portalRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const store = new FileStore(ctx.config.DATA_DIR);
    const limiter = new RateLimiter(ctx.redis, ctx.config.REDIS_PREFIX);
    app.addHook('onRequest', async (request) => {
      await limiter.hit(PER_IP, request.ip);
    });
    app.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    });
    // Scoped to this plugin; each upload narrows fileSize to its requirement's maxBytes.
    await app.register(fastifyMultipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 200, headerPairs: 50 } });

    const answer = async (row: AppointmentCaseRow) => ({ case: await caseView(db, row) });
    const reload = async (id: string) => db.selectFrom('appointment_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    app.get(
      '/procedures',
      { schema: { tags: ['portal'], summary: 'Trámites disponibles y sus requisitos / available procedures and their requirements', response: { 200: z.object({ procedures: z.array(portalProcedureViewSchema) }) } } },
      async () => {
        const rows = await db
          .selectFrom('appointment_procedures as p')
          .innerJoin('campaigns as c', 'c.id', 'p.campaign_id')
          .selectAll('p')
          .select('c.name as campaign_name')
          .where('p.active', '=', true)
          .orderBy('c.name')
          .orderBy('p.name')
          .execute();
        return {
          procedures: rows.map((row) => {
            const p = toProcedure(row);
            return { id: p.id, campaignId: p.campaignId, campaignName: row.campaign_name, name: p.name, description: p.description, serviceId: p.serviceId, requirements: p.requirements.map((r) => ({ ...r, accept: [...r.accept] })) };
          }),
        };
      },
    );

    app.post(
      '/cases',
      { schema: { tags: ['portal'], summary: 'Iniciar un trámite / open a case', body: documented(caseInputSchema), response: { 201: caseAnswer } } },
      async (request, reply) => {
        await limiter.hit(CASES_PER_IP, request.ip);
        const row = await openCase(db, parseBody(caseInputSchema, request.body), { channel: 'portal' });
        request.log.info({ caseId: row.id, procedureId: row.procedure_id }, 'portal case opened');
        return reply.status(201).send(await answer(row));
      },
    );

    app.get(
      '/cases/:folio',
      { schema: { tags: ['portal'], summary: 'Estado del trámite / case status', params: folioParams, headers: z.object(officialIdHeader), response: { 200: caseAnswer } } },
      async (request) => answer(await caseByFolio(db, request.params.folio, request.headers['x-official-id'])),
    );

    app.post(
      '/cases/:folio/documents/:requirementId',
      {
        schema: {
          tags: ['portal'],
          summary: 'Subir un documento del trámite (multipart, parte `file`) / upload a document (multipart, part `file`)',
          description: 'PDF, JPEG o PNG según el requisito; 413 si excede su tamaño máximo, 415 si el tipo no se acepta o el contenido no corresponde, 409 si ya está aprobado o en revisión.',
          params: z.object({ folio: z.string().max(40), requirementId: z.string().max(64) }),
          headers: z.object(officialIdHeader),
          response: { 201: caseAnswer },
        },
      },
      async (request, reply) => {
        await limiter.hit(UPLOADS_PER_IP, request.ip);
        const caseRow = await caseByFolio(db, request.params.folio, request.headers['x-official-id']);
        if (!request.isMultipart()) throw new HubError('HUB_ERR_UNSUPPORTED_MEDIA_TYPE', 'Envíe el archivo como multipart/form-data / send the file as multipart/form-data');
        const procedure = await loadProcedure(db, caseRow.procedure_id);
        const maxBytes = procedure?.requirements.find((r) => r.id === request.params.requirementId)?.maxBytes ?? MAX_DOCUMENT_BYTES;
        const part = await request.file({ limits: { fileSize: maxBytes } });
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          throw new HubError('HUB_ERR_FILE_MISSING');
        }
        const updated = await uploadCaseDocument({ db, store }, caseRow, request.params.requirementId, { filename: part.filename, mimetype: part.mimetype, stream: part.file }).catch(
          (error: unknown) => {
            // Refused before reading (requirement, status, type): drain the part so the request ends.
            part.file.resume();
            throw isFileTooLarge(error) ? tooLarge(maxBytes) : error;
          },
        );
        request.log.info({ caseId: caseRow.id, requirementId: request.params.requirementId }, 'portal document uploaded');
        return reply.status(201).send(await answer(updated));
      },
    );

    app.get(
      '/cases/:folio/slots',
      {
        schema: {
          tags: ['portal'],
          summary: 'Horarios libres más cercanos para el trámite aprobado / nearest free slots for the approved case',
          params: folioParams,
          headers: z.object(officialIdHeader),
          querystring: z.object({ from: z.iso.datetime({ offset: true }).optional() }),
          response: { 200: z.object({ slots: z.array(freeSlotViewSchema) }) },
        },
      },
      async (request) => {
        const caseRow = await caseByFolio(db, request.params.folio, request.headers['x-official-id']);
        if (caseRow.status !== 'approved' && caseRow.status !== 'booked') throw new HubError('HUB_ERR_APPOINTMENT_CASE_NOT_APPROVED');
        const procedure = await loadProcedure(db, caseRow.procedure_id);
        if (!procedure) throw new HubError('HUB_ERR_APPOINTMENT_PROCEDURE_NOT_FOUND');
        const { calendar } = await requireCalendar(db, caseRow.campaign_id);
        const from = request.query.from === undefined ? {} : { from: new Date(request.query.from) };
        const slots = await nearestSlots(db, caseRow.campaign_id, { serviceId: procedure.serviceId, ...from });
        return { slots: slots.map((s) => toFreeSlotView(calendar, s)) };
      },
    );

    app.post(
      '/cases/:folio/appointment',
      { schema: { tags: ['portal'], summary: 'Agendar la cita del trámite aprobado / book the approved case', params: folioParams, headers: z.object(officialIdHeader), body: documented(bookingBody), response: { 201: caseAnswer } } },
      async (request, reply) => {
        const caseRow = await caseByFolio(db, request.params.folio, request.headers['x-official-id']);
        const body = parseBody(bookingBody, request.body);
        const procedure = await loadProcedure(db, caseRow.procedure_id);
        if (!procedure) throw new HubError('HUB_ERR_APPOINTMENT_PROCEDURE_NOT_FOUND');
        const birth = await db.selectFrom('appointment_cases').select(sql<string>`birth_date::text`.as('birth_date')).where('id', '=', caseRow.id).executeTakeFirstOrThrow();
        const booked = await offeringSlotViews(
          async () => (await loadCalendar(db, caseRow.campaign_id))?.calendar,
          () =>
            bookAppointment(
              db,
              {
                campaignId: caseRow.campaign_id,
                serviceId: procedure.serviceId,
                roomId: body.roomId,
                startsAt: body.startsAt,
                officialId: { kind: caseRow.official_id_kind, value: caseRow.official_id },
                familyGroupId: caseRow.official_id,
                birthDate: birth.birth_date,
                caseId: caseRow.id,
                channel: 'portal',
              },
              { kind: 'portal' },
            ),
        );
        request.log.info({ caseId: caseRow.id, appointmentId: booked.id }, 'portal appointment booked');
        return reply.status(201).send(await answer(await reload(caseRow.id)));
      },
    );

    app.post(
      '/cases/:folio/appointment/confirm',
      { schema: { tags: ['portal'], summary: 'Confirmar la asistencia a la cita del trámite / confirm attending the case’s appointment', params: folioParams, headers: z.object(officialIdHeader), response: { 200: caseAnswer } } },
      async (request) => {
        const caseRow = await caseByFolio(db, request.params.folio, request.headers['x-official-id']);
        const active = await db.selectFrom('appointments').select('id').where('case_id', '=', caseRow.id).where('status', 'in', ACTIVE_STATUSES).executeTakeFirst();
        if (!active) throw new HubError('HUB_ERR_APPOINTMENT_NOT_FOUND', 'Este trámite no tiene una cita activa / this case has no active appointment');
        await changeAppointmentStatus(db, { campaignId: caseRow.campaign_id, appointmentId: active.id, to: 'confirmed', officialId: caseRow.official_id, channel: 'portal' }, { kind: 'portal' });
        return answer(await reload(caseRow.id));
      },
    );

    app.post(
      '/cases/:folio/appointment/cancel',
      { schema: { tags: ['portal'], summary: 'Cancelar la cita del trámite / cancel the case’s appointment', params: folioParams, headers: z.object(officialIdHeader), response: { 200: caseAnswer } } },
      async (request) => {
        const caseRow = await caseByFolio(db, request.params.folio, request.headers['x-official-id']);
        const active = await db.selectFrom('appointments').select('id').where('case_id', '=', caseRow.id).where('status', 'in', ACTIVE_STATUSES).executeTakeFirst();
        if (!active) throw new HubError('HUB_ERR_APPOINTMENT_NOT_FOUND', 'Este trámite no tiene una cita activa / this case has no active appointment');
        await cancelAppointment(
          db,
          { campaignId: caseRow.campaign_id, appointmentId: active.id, officialId: caseRow.official_id, reason: 'Cancelada por el ciudadano en el portal', channel: 'portal' },
          { kind: 'portal' },
        );
        // The documents still stand: cancelAppointment sets the case back to `approved`, so it can book again.
        return answer(await reload(caseRow.id));
      },
    );
  };
}
