import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentStatusColumn } from '../../../hub/src/db/schema-appointments.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createCampaign, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { insertAppointment, staffCampaign } from '../http/staff-fixtures.js';

/**
 * The appointment report over HTTP on a hand-made set (staff-fixtures' calendar: UMF 20 with c1,
 * c2; UMF 21 with c3), 1–2 Dec 2026, counted by hand:
 *
 * | date       | office | booked | confirmed | cancelled | attended | no-show | total |
 * |------------|--------|--------|-----------|-----------|----------|---------|-------|
 * | 2026-12-01 | UMF 20 | 2      | 1         | 1         | 1        | 0       | 5     |
 * | 2026-12-01 | UMF 21 | 0      | 0         | 0         | 1        | 2       | 3     |
 * | 2026-12-02 | UMF 20 | 1      | 0         | 2         | 0        | 0       | 3     |
 * | 2026-12-02 | UMF 21 | 0      | 1         | 0         | 0        | 0       | 1     |
 * | totals     |        | 3      | 2         | 3         | 2        | 2       | 12    |
 *
 * Left out: 30 Nov and 3 Dec (outside the range) and another campaign's appointment on 1 Dec.
 */
let hub: TestHub;
const db = () => hub.ctx.db.kysely;
let campaignId: string;
let supervisor: { authorization: string };
let supervisorId: string;

const SET: [office: string, room: string, date: string, time: string, status: AppointmentStatusColumn][] = [
  ['umf-20', 'c1', '2026-12-01', '08:00', 'booked'],
  ['umf-20', 'c1', '2026-12-01', '08:20', 'booked'],
  ['umf-20', 'c2', '2026-12-01', '08:00', 'confirmed'],
  ['umf-20', 'c2', '2026-12-01', '08:20', 'cancelled'],
  ['umf-20', 'c1', '2026-12-01', '08:40', 'attended'],
  ['umf-21', 'c3', '2026-12-01', '08:00', 'no_show'],
  ['umf-21', 'c3', '2026-12-01', '08:20', 'no_show'],
  ['umf-21', 'c3', '2026-12-01', '08:40', 'attended'],
  ['umf-20', 'c1', '2026-12-02', '08:00', 'cancelled'],
  ['umf-20', 'c1', '2026-12-02', '08:00', 'cancelled'],
  ['umf-20', 'c1', '2026-12-02', '08:00', 'booked'],
  ['umf-21', 'c3', '2026-12-02', '09:00', 'confirmed'],
  ['umf-20', 'c1', '2026-11-30', '08:00', 'booked'],
  ['umf-21', 'c3', '2026-12-03', '08:00', 'booked'],
];

const EXPECTED_ROWS = [
  { date: '2026-12-01', officeId: 'umf-20', officeName: 'UMF 20', booked: 2, confirmed: 1, cancelled: 1, attended: 1, noShow: 0, total: 5 },
  { date: '2026-12-01', officeId: 'umf-21', officeName: 'UMF 21', booked: 0, confirmed: 0, cancelled: 0, attended: 1, noShow: 2, total: 3 },
  { date: '2026-12-02', officeId: 'umf-20', officeName: 'UMF 20', booked: 1, confirmed: 0, cancelled: 2, attended: 0, noShow: 0, total: 3 },
  { date: '2026-12-02', officeId: 'umf-21', officeName: 'UMF 21', booked: 0, confirmed: 1, cancelled: 0, attended: 0, noShow: 0, total: 1 },
];
const EXPECTED_TOTALS = { booked: 3, confirmed: 2, cancelled: 3, attended: 2, noShow: 2, total: 12 };

beforeAll(async () => {
  hub = await createTestHub();
  campaignId = await staffCampaign(db());
  for (const [i, [officeId, roomId, date, time, status]] of SET.entries()) await insertAppointment(db(), { campaignId, officeId, roomId, date, time, status, n: i + 1 });
  const other = await createCampaign(db());
  await insertAppointment(db(), { campaignId: other.id, officeId: 'umf-20', roomId: 'c1', date: '2026-12-01', time: '09:00', status: 'booked', n: 99 });
  const user = await createUser(db(), { roles: ['supervisor'], campaignIds: [campaignId], name: 'Sofía Supervisora' });
  supervisorId = user.id;
  supervisor = bearer(await tokenFor(db(), user.id));
});
afterAll(async () => {
  await hub.cleanup();
});

const url = (query: string) => `/api/v1/appointments/campaigns/${campaignId}/report?${query}`;

async function exports(): Promise<{ format: unknown; actor: string | null }[]> {
  const rows = await db().selectFrom('audit_log').select(['details', 'actor_user_id']).where('campaign_id', '=', campaignId).where('action', '=', 'appointment.report_exported').orderBy('id').execute();
  return rows.map((r) => ({ format: typeof r.details === 'object' && r.details !== null && 'format' in r.details ? r.details.format : null, actor: r.actor_user_id }));
}

describe('appointment report', () => {
  it('counts per office and day by current status equal the hand-computed figures (JSON, not audited)', async () => {
    const res = await hub.app.inject({ method: 'GET', url: url('from=2026-12-01&to=2026-12-02'), headers: supervisor });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ from: '2026-12-01', to: '2026-12-02', timeZone: 'America/Mexico_City', rows: EXPECTED_ROWS, totals: EXPECTED_TOTALS });
    const oneDay = await hub.app.inject({ method: 'GET', url: url('from=2026-12-02&to=2026-12-02'), headers: supervisor });
    expect(oneDay.json().totals).toEqual({ booked: 1, confirmed: 1, cancelled: 2, attended: 0, noShow: 0, total: 4 });
    expect(await exports()).toEqual([]);
  });

  it('the CSV (UTF-8 with BOM, Spanish headers) carries the same figures and a totals row; the export is audited', async () => {
    const res = await hub.app.inject({ method: 'GET', url: url('from=2026-12-01&to=2026-12-02&format=csv'), headers: supervisor });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="citas-2026-12-01_2026-12-02.csv"');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(res.body.slice(1).split('\r\n')).toEqual([
      'Fecha,Clave de oficina,Oficina,Agendadas,Confirmadas,Canceladas,Atendidas,No se presentó,Total',
      '2026-12-01,umf-20,UMF 20,2,1,1,1,0,5',
      '2026-12-01,umf-21,UMF 21,0,0,0,1,2,3',
      '2026-12-02,umf-20,UMF 20,1,0,2,0,0,3',
      '2026-12-02,umf-21,UMF 21,0,1,0,0,0,1',
      'Total,,,3,2,3,2,2,12',
      '',
    ]);
    expect(await exports()).toEqual([{ format: 'csv', actor: supervisorId }]);
  });

  it('the XLSX has the same figures as numbers', async () => {
    const res = await hub.app.inject({ method: 'GET', url: url('from=2026-12-01&to=2026-12-02&format=xlsx'), headers: supervisor });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Uint8Array.from(res.rawPayload).buffer);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error('the book has no sheet');
    const values = (row: number) => (Array.isArray(sheet.getRow(row).values) ? sheet.getRow(row).values : []);
    expect(values(1)).toEqual([undefined, 'Fecha', 'Clave de oficina', 'Oficina', 'Agendadas', 'Confirmadas', 'Canceladas', 'Atendidas', 'No se presentó', 'Total']);
    expect(values(2)).toEqual([undefined, '2026-12-01', 'umf-20', 'UMF 20', 2, 1, 1, 1, 0, 5]);
    expect(values(6)).toEqual([undefined, 'Total', '', '', 3, 2, 3, 2, 2, 12]);
    expect((await exports()).map((e) => e.format)).toEqual(['csv', 'xlsx']);
  });

  it('refuses a reversed range or one longer than 366 days', async () => {
    const reversed = await hub.app.inject({ method: 'GET', url: url('from=2026-12-02&to=2026-12-01'), headers: supervisor });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.code).toBe('HUB_ERR_VALIDATION');
    const tooLong = await hub.app.inject({ method: 'GET', url: url('from=2026-01-01&to=2027-01-02'), headers: supervisor });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toMatch(/el periodo abarca como máximo 366 días/);
    // 2026-12-01 … 2027-12-01 is 366 days: allowed.
    const year = await hub.app.inject({ method: 'GET', url: url('from=2026-12-01&to=2027-12-01'), headers: supervisor });
    expect(year.statusCode).toBe(200);
    expect(year.json().totals).toEqual({ ...EXPECTED_TOTALS, booked: 4, total: 13 });
  });
});
