import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { DAY1, DAY2, local, seedReportFixture, type ReportFixture } from './report-fixture.js';

/**
 * Issue 9 item 7 against the real PostgreSQL over HTTP: each report's figures equal the ones
 * worked out by hand from report-fixture.ts, and the CSV and XLSX downloads read back to the
 * same numbers.
 */
const kpiSchema = z.object({ value: z.number().nullable(), numerator: z.number(), denominator: z.number(), formula: z.string(), explanation: z.string(), unit: z.string() });
type Kpi = z.infer<typeof kpiSchema>;
type Row = Record<string, unknown>;
interface Table {
  id: string;
  columns: { key: string; type: string }[];
  rows: Row[];
  notes: { label_es: string; value: string }[];
}

const kpi = (row: Row | undefined, key: string): Kpi => kpiSchema.parse(row?.[key]);
const ratio = (k: Kpi) => [k.numerator, k.denominator];

describe('reports (PostgreSQL, HTTP)', () => {
  const config = testConfig({ HUB_ROLE: 'api', PORT: '0' });
  let hub: HubProcess;
  let campaignId: string;
  let fixture: ReportFixture;
  let supervisor: string;

  const get = (path: string, token = supervisor) => fetch(`${hub.url}/api/v1${path}`, { headers: bearer(token) });
  const report = async (id: string, query: string): Promise<{ tables: Table[]; timeZone: string }> => {
    const res = await get(`/reports/${id}?campaignId=${campaignId}&${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db, { name: 'Orientación IMSS' })).id;
    fixture = await seedReportFixture(db, campaignId);
    supervisor = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId], name: 'Sofía Supervisora' })).id);
  });
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('lists the catalogue with parameters and period limits', async () => {
    const res = await get('/reports');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; parameters: { name: string }[]; maxDays: Record<string, number> }[] };
    expect(items.map((i) => i.id)).toEqual(['daily-service-level', 'intervals', 'agents', 'voicemail', 'tier2-transfers']);
    const intervals = items.find((i) => i.id === 'intervals');
    expect(intervals?.parameters.map((p) => p.name)).toContain('interval');
    expect(intervals?.maxDays['half_hour']).toBe(92);
  });

  it('daily service level: total, per queue and per channel equal the hand-worked figures', async () => {
    const { tables } = await report('daily-service-level', `date=${DAY1}`);
    const rows = tables[0]!.rows;
    const total = rows.find((r) => r['scope'] === 'Total');
    // 6 received, 1 short abandon (5 s < 10 s) → 5; attended 4; within 20 s: c1 (10 s) and c4 (exactly 20 s).
    expect(total).toMatchObject({ date: DAY1, received_gross: 6, short_abandoned: 1, received: 5, attended: 4, abandoned: 1, within_threshold: 2, pending: 0 });
    expect(ratio(kpi(total, 'sl_received'))).toEqual([2, 5]);
    expect(kpi(total, 'sl_received').value).toBeCloseTo(40, 10);
    expect(ratio(kpi(total, 'sl_attended'))).toEqual([2, 4]);
    // ASA (10 + 30 + 20 + 40) s / 4 = 25 s; AHT (120 + 180 + 60 + 3 630) s / 4 = 997.5 s.
    expect(ratio(kpi(total, 'asa'))).toEqual([100_000, 4]);
    expect(kpi(total, 'asa').value).toBe(25_000);
    expect(ratio(kpi(total, 'aht'))).toEqual([3_990_000, 4]);
    // Abandonment (6 − 1 − 4) / (6 − 1) = 20 %.
    expect(ratio(kpi(total, 'abandonment'))).toEqual([1, 5]);
    expect(kpi(total, 'abandonment').value).toBeCloseTo(20, 10);
    // E-mail / chat within 13 h: c4 and c5 answered in time, c6 never: 2 / 3.
    expect(ratio(kpi(total, 'response_within_limit'))).toEqual([2, 3]);
    expect(kpi(total, 'sl_received').explanation).toContain('2 / 5');

    const orientacion = rows.find((r) => r['scope'] === 'Fila' && r['ref'] === fixture.queues.orientacion);
    expect(orientacion).toMatchObject({ name: 'Orientación', received_gross: 3, short_abandoned: 1, received: 2, attended: 2, abandoned: 0, within_threshold: 1 });
    expect(ratio(kpi(orientacion, 'asa'))).toEqual([40_000, 2]);
    expect(ratio(kpi(orientacion, 'aht'))).toEqual([300_000, 2]);
    expect(orientacion?.['response_within_limit']).toBeNull();
    const tramites = rows.find((r) => r['scope'] === 'Fila' && r['ref'] === fixture.queues.tramites);
    expect(tramites).toMatchObject({ name: 'Trámites', received_gross: 3, received: 3, attended: 2, abandoned: 1, within_threshold: 1 });
    expect(ratio(kpi(tramites, 'abandonment'))).toEqual([1, 3]);
    expect(ratio(kpi(tramites, 'aht'))).toEqual([3_690_000, 2]);

    const byKind = Object.fromEntries(rows.filter((r) => r['scope'] === 'Canal').map((r) => [String(r['ref']), r]));
    expect(Object.keys(byKind).sort()).toEqual(['email', 'voice', 'webchat']);
    expect(byKind['voice']).toMatchObject({ name: 'Teléfono', received_gross: 3, attended: 2 });
    expect(byKind['webchat']).toMatchObject({ name: 'Chat web', received_gross: 2, attended: 1, abandoned: 1, within_threshold: 1 });
    expect(ratio(kpi(byKind['email'], 'sl_received'))).toEqual([0, 1]);
    expect(ratio(kpi(byKind['email'], 'response_within_limit'))).toEqual([1, 1]);
    const notes = tables[0]!.notes.map((n) => `${n.label_es}: ${n.value}`);
    expect(notes).toEqual(expect.arrayContaining(['Zona horaria: America/Mexico_City', 'Umbral de abandono corto: 10 s']));
    expect(notes.some((n) => n.startsWith('Fórmula: Porcentaje de abandono'))).toBe(true);
  });

  it('daily service level CSV and XLSX read back to the same numbers, Spanish headers by default, English with lang=en', async () => {
    const csv = await get(`/reports/daily-service-level?campaignId=${campaignId}&date=${DAY1}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="daily-service-level-${DAY1}.csv"`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines]: string[][] = parse(Buffer.from(bytes), { bom: true });
    const at = (name: string) => header!.indexOf(name);
    const totalLine = lines.find((l) => l[at('Ámbito')] === 'Total');
    expect(totalLine?.[at('Recibidas')]).toBe('6');
    expect(totalLine?.[at('Nivel de servicio / recibidas (valor)')]).toBe('40');
    expect(totalLine?.[at('Nivel de servicio / recibidas — numerador')]).toBe('2');
    expect(totalLine?.[at('Nivel de servicio / recibidas — denominador')]).toBe('5');
    expect(totalLine?.[at('AHT (s) (valor)')]).toBe('997.5');
    expect(totalLine?.[at('AHT (s) — numerador')]).toBe('3990');
    expect(totalLine?.[at('Abandono % (valor)')]).toBe('20');
    expect(lines).toHaveLength(1 + 2 + 3);

    const en: string[][] = parse(await (await get(`/reports/daily-service-level?campaignId=${campaignId}&date=${DAY1}&format=csv&lang=en`)).text(), { bom: true });
    expect(en[0]?.slice(0, 5)).toEqual(['Date', 'Scope', 'Name', 'Identifier', 'Received']);

    const xlsx = await get(`/reports/daily-service-level?campaignId=${campaignId}&date=${DAY1}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(['Nivel de servicio diario', 'Notas']);
    const sheet = book.worksheets[0]!;
    const head: string[] = [];
    sheet.getRow(1).eachCell((cell, i) => (head[i] = String(cell.value)));
    const row = sheet.getRow(2);
    expect(row.getCell(head.indexOf('Ámbito')).value).toBe('Total');
    expect(row.getCell(head.indexOf('Recibidas')).value).toBe(6);
    expect(row.getCell(head.indexOf('ASA (s) (valor)')).value).toBe(25);
    expect(row.getCell(head.indexOf('ASA (s) — numerador')).value).toBe(100);
    expect(row.getCell(head.indexOf('ASA (s) — denominador')).value).toBe(4);
    expect(row.getCell(head.indexOf('Nivel de servicio / atendidas (valor)')).value).toBe(50);
  });

  it('interval report: 48 half hours of the day, traffic in the right buckets, sums equal the day', async () => {
    const { tables } = await report('intervals', `date=${DAY1}&interval=half_hour`);
    const rows = tables[0]!.rows;
    expect(rows).toHaveLength(48);
    expect(rows[0]?.['interval']).toBe('2025-03-12T00:00-06:00');
    const bucket = (key: string) => rows.find((r) => r['interval'] === `2025-03-12T${key}-06:00`);
    // 09:00 holds c1, c2 and the short abandon c3; 09:30 holds c4 (exactly 20 s: within).
    expect(bucket('09:00')).toMatchObject({ received_gross: 3, short_abandoned: 1, received: 2, attended: 2, within_threshold: 1 });
    expect(bucket('09:30')).toMatchObject({ received_gross: 1, attended: 1, within_threshold: 1, tier2_transfers: 1 });
    expect(bucket('10:00')).toMatchObject({ received_gross: 1, attended: 1, within_threshold: 0 });
    expect(bucket('10:30')).toMatchObject({ received_gross: 1, attended: 0, abandoned: 1 });
    expect(bucket('08:30')).toMatchObject({ received_gross: 0, attended: 0 });
    expect(kpi(bucket('08:30'), 'asa').value).toBeNull();
    const sum = (key: string) => rows.reduce((n, r) => n + Number(r[key]), 0);
    expect([sum('received_gross'), sum('received'), sum('attended'), sum('within_threshold')]).toEqual([6, 5, 4, 2]);

    const days = await report('intervals', `from=${DAY1}&to=${DAY2}&interval=day`);
    expect(days.tables[0]!.rows.map((r) => [r['interval'], r['received_gross'], r['tier2_transfers']])).toEqual([
      [DAY1, 6, 1],
      [DAY2, 2, 2],
    ]);
  });

  it('agent report: attended, talk, hold, ACW, AHT and occupancy per agent with display names', async () => {
    const { tables } = await report('agents', `date=${DAY1}`);
    const rows = tables[0]!.rows;
    const ana = rows.find((r) => r['agent_id'] === fixture.agents.ana);
    const bruno = rows.find((r) => r['agent_id'] === fixture.agents.bruno);
    expect(ana).toMatchObject({ agent: 'Ana Pérez', attended: 2, talk_s: 300, hold_s: 12, acw_s: 15, transfers: 0 });
    // Ana: available 08:00–12:00 less 15 s of ACW; offline from 12:00 to midnight.
    expect(ana).toMatchObject({ state_available: 14_385, state_after_contact_work: 15, state_offline: 43_200 });
    expect(ratio(kpi(ana, 'aht'))).toEqual([300_000, 2]);
    // Phone occupancy (300 + 12 + 15) / (327 + idle 14 385 − 300 − 12) = 327 / 14 400 s.
    expect(ratio(kpi(ana, 'occupancy_phone'))).toEqual([327_000, 14_400_000]);
    expect(ana?.['occupancy_chat']).toBeNull();
    expect(bruno).toMatchObject({ agent: 'Bruno Díaz', attended: 2, tier2_transfers: 1, state_available: 10_800 });
    // Chat occupancy, n = 4 sessions (the default text capacity): 30 s / (30 s + (10 800 − 30 / 4) s × 4) = 30 / 43 200 s.
    expect(ratio(kpi(bruno, 'occupancy_chat'))).toEqual([30_000, 43_200_000]);
    expect(bruno?.['occupancy_phone']).toBeNull();
    expect(rows.map((r) => r['agent'])).toEqual([...rows.map((r) => String(r['agent']))].sort((a, b) => a.localeCompare(b, 'es')));
  });

  it('tier-2 transfers: each contact with time, agent, queue and reason, and the count per reason', async () => {
    const { tables } = await report('tier2-transfers', `from=${DAY1}&to=${DAY2}`);
    const [detail, byReason] = tables;
    expect(detail?.rows.map((r) => [r['folio'], r['transferred_at'], r['from_agent'], r['queue'], r['reason']])).toEqual([
      [fixture.contacts[3]!.folio, new Date(local(1, 9, 40, 50)).toISOString(), 'Bruno Díaz', 'Trámites', 'consulta especializada'],
      [fixture.contacts[6]!.folio, new Date(local(2, 10, 0, 58)).toISOString(), 'Ana Pérez', 'Orientación', 'trámite de pensión'],
      [fixture.contacts[7]!.folio, new Date(local(2, 11, 0, 45)).toISOString(), 'Bruno Díaz', 'Trámites', 'consulta especializada'],
    ]);
    expect(byReason?.rows).toEqual([
      { reason: 'consulta especializada', count: 2, percent: 66.67 },
      { reason: 'trámite de pensión', count: 1, percent: 33.33 },
      { reason: 'Total', count: 3, percent: 100 },
    ]);
    const csv: string[][] = parse(await (await get(`/reports/tier2-transfers?campaignId=${campaignId}&from=${DAY1}&to=${DAY2}&format=csv&table=by_reason`)).text(), { bom: true });
    expect(csv).toEqual([['Motivo', 'Transferencias', '% del total'], ['consulta especializada', '2', '66.67'], ['trámite de pensión', '1', '33.33'], ['Total', '3', '100']]);
    const detailCsv: string[][] = parse(await (await get(`/reports/tier2-transfers?campaignId=${campaignId}&from=${DAY1}&to=${DAY2}&format=csv`)).text(), { bom: true });
    expect(detailCsv[1]?.[1]).toBe('2025-03-12T09:40:50-06:00');
  });
});
