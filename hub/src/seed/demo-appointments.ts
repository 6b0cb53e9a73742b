import type { Kysely } from 'kysely';
import { loadCalendar, saveCalendar } from '../appointments/booking/calendar.store.js';
import { listProcedures, saveProcedure } from '../appointments/procedures/procedure.store.js';
import type { Database } from '../db/schema.js';
import { lftArticle74Holidays } from '../router/calendar/holidays.js';

/**
 * The demo's appointment calendars (issue 11), written once per campaign that has none:
 * - Derechohabientes: the IMSS Cita Médica Telefónica rules (seed-digest §9.2) — family medicine
 *   and dental at UMF 20, morning and evening shifts, 3 appointments per room per shift per day,
 *   the excluded times 8:00–8:45 / 14:00–14:45 (dental 8:00–8:40 / 14:00–14:40);
 * - Contribuyentes: a tax office's vehicle procedures with 20-minute visits (seed-digest §9.1).
 * Holidays: LFT art. 74 for this year and the next two (the 90-day horizon crosses a new year).
 * The tax office's «Cambio de propietario de vehículo» asks for two documents, pre-reviewed by a
 * reviewer picked at random among the agents holding `revision_documental` (agente4, agente6).
 */
export async function seedDemoAppointments(db: Kysely<Database>, now = new Date()): Promise<void> {
  const campaigns = await db.selectFrom('campaigns').select(['id', 'slug']).where('slug', 'in', ['derechohabientes', 'contribuyentes']).execute();
  const year = now.getUTCFullYear();
  const holidays = [year, year + 1, year + 2].flatMap((y) => lftArticle74Holidays(y).map((h) => ({ date: h.date, name: h.name })));
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  for (const campaign of campaigns) {
    if (await loadCalendar(db, campaign.id)) continue;
    const definition =
      campaign.slug === 'derechohabientes'
        ? {
            timeZone: 'America/Mexico_City',
            offices: [{ id: 'umf-20', name: 'UMF 20 Vallejo' }],
            rooms: [
              { id: 'c1', officeId: 'umf-20', name: 'Consultorio 1', serviceIds: ['mf'] },
              { id: 'c2', officeId: 'umf-20', name: 'Consultorio 2', serviceIds: ['mf'] },
              { id: 'est1', officeId: 'umf-20', name: 'Estomatología 1', serviceIds: ['est'] },
            ],
            services: [
              { id: 'mf', name: 'Medicina familiar', slotMinutes: 20, excludedTimes: [{ from: '08:00', to: '08:45' }, { from: '14:00', to: '14:45' }] },
              { id: 'est', name: 'Estomatología', slotMinutes: 20, excludedTimes: [{ from: '08:00', to: '08:40' }, { from: '14:00', to: '14:40' }] },
            ],
            shifts: ['c1', 'c2', 'est1'].flatMap((room) => [
              { id: `${room}-mat`, roomId: room, name: 'Matutino', weekdays, start: '08:00', end: '14:00', capacity: 3 },
              { id: `${room}-vesp`, roomId: room, name: 'Vespertino', weekdays, start: '14:00', end: '20:00', capacity: 3 },
            ]),
            blocked: [],
            holidays,
          }
        : {
            timeZone: 'America/Mexico_City',
            offices: [{ id: 'leon-centro', name: 'Oficina Recaudadora León Centro' }],
            rooms: [
              { id: 'v1', officeId: 'leon-centro', name: 'Ventanilla 1', serviceIds: ['vehicular'] },
              { id: 'v2', officeId: 'leon-centro', name: 'Ventanilla 2', serviceIds: ['vehicular'] },
            ],
            services: [{ id: 'vehicular', name: 'Trámites vehiculares', slotMinutes: 20, excludedTimes: [] }],
            shifts: ['v1', 'v2'].map((room) => ({ id: `${room}-mat`, roomId: room, name: 'Matutino', weekdays, start: '08:30', end: '15:00', capacity: 19 })),
            blocked: [],
            holidays,
          };
    await saveCalendar(db, { campaignId: campaign.id, definition }, null);
  }
  const tax = campaigns.find((c) => c.slug === 'contribuyentes');
  const admin = await db.selectFrom('users').select('id').where('email', '=', 'admin@demo.ventanilla.mx').executeTakeFirst();
  if (tax && admin && (await listProcedures(db, tax.id)).length === 0) {
    await saveProcedure(
      db,
      tax.id,
      'cambio-propietario',
      {
        name: 'Cambio de propietario de vehículo',
        description: 'Registre la compra de un vehículo usado. Suba sus documentos; un revisor asignado al azar los valida antes de que agende su cita.',
        serviceId: 'vehicular',
        active: true,
        requirements: [
          { id: 'factura', name: 'Factura endosada', description: 'Factura original endosada a su nombre, legible, por ambos lados.', required: true, accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 5_000_000 },
          { id: 'domicilio', name: 'Comprobante de domicilio', description: 'Recibo de luz, agua o teléfono de no más de tres meses.', required: true, accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 5_000_000 },
          { id: 'identificacion', name: 'Identificación oficial', description: 'INE vigente por ambos lados (opcional si la presenta en la oficina).', required: false, accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 5_000_000 },
        ],
      },
      { userId: admin.id },
    );
  }
}
