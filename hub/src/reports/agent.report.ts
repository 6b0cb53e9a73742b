import type { KpiSeries, KpiSeriesRow } from '../kpi/aggregates/kpi-series.contract.js';
import { averageHandleTime } from '../kpi/formulas/aht.js';
import type { KpiResult } from '../kpi/formulas/kpi-result.js';
import { consolidateOccupancy } from '../kpi/formulas/occupancy.js';
import type { MeasuringRules } from '../kpi/measuring-rules.js';
import { col, kpisOf, msToSeconds, type ReportColumn, type ReportRow, type ReportTable, standardNotes } from './report-table.js';

/**
 * The agent report over a range (seed-digest §5.5 occupancy per agent and day, §6.4 AHT): per agent,
 * the KPI series' agent-days added up. Nothing is recomputed here: the range's AHT calls the
 * formula library on the summed inputs, occupancy uses its `consolidateOccupancy` (pooled, L169).
 */
const STATE_LABELS: Record<string, { es: string; en: string }> = {
  available: { es: 'Disponible', en: 'Available' },
  after_contact_work: { es: 'Trabajo posterior (ACW)', en: 'After-contact work' },
  lunch: { es: 'Comida', en: 'Lunch' },
  training: { es: 'Capacitación', en: 'Training' },
  coaching: { es: 'Retroalimentación', en: 'Coaching' },
  personal: { es: 'Personal', en: 'Personal' },
  not_ready: { es: 'No disponible', en: 'Not ready' },
  offline: { es: 'Desconectado', en: 'Offline' },
};
const STATE_ORDER = Object.keys(STATE_LABELS);

const BASE_COLUMNS: readonly ReportColumn[] = [
  col('agent', 'text', 'Asesor', 'Agent'),
  col('agent_id', 'text', 'Id del asesor', 'Agent id'),
  col('attended', 'integer', 'Atendidas', 'Attended'),
  col('talk_s', 'seconds', 'Conversación (s)', 'Talk (s)'),
  col('hold_s', 'seconds', 'Espera / hold (s)', 'Hold (s)'),
  col('acw_s', 'seconds', 'Trabajo posterior (s)', 'After-contact work (s)'),
  col('available_s', 'seconds', 'Disponible (s)', 'Available (s)'),
  col('aht', 'kpi', 'AHT (s)', 'AHT (s)'),
  col('occupancy_phone', 'kpi', 'Ocupación telefonía %', 'Phone occupancy %'),
  col('occupancy_chat', 'kpi', 'Ocupación chat %', 'Chat occupancy %'),
  col('transfers', 'integer', 'Transferencias', 'Transfers'),
  col('tier2_transfers', 'integer', 'Transferencias a 2º nivel', 'Tier-2 transfers'),
];

interface AgentTotals {
  attended: number;
  /** The agent's own talk (voice + text + e-mail sessions), from the AHT inputs of agent rows. */
  talk: number;
  /** Voice hold, from the phone occupancy inputs (an agent-day without voice has none). */
  hold: number;
  ahtTalk: number;
  ahtHold: number;
  ahtAcw: number;
  phone: KpiResult[];
  chat: KpiResult[];
  states: Map<string, number>;
  transfers: number;
  tier2: number;
}

const input = (k: KpiResult | null, name: string): number => k?.inputs[name] ?? 0;

function addDay(totals: AgentTotals, r: KpiSeriesRow): void {
  totals.attended += r.tally.attended;
  totals.talk += input(r.aht, 'talkMs');
  totals.hold += input(r.occupancyPhone, 'holdMs');
  totals.ahtTalk += input(r.aht, 'talkMs');
  totals.ahtHold += input(r.aht, 'holdMs');
  totals.ahtAcw += input(r.aht, 'afterContactWorkMs');
  if (r.occupancyPhone) totals.phone.push(r.occupancyPhone);
  if (r.occupancyChat) totals.chat.push(r.occupancyChat);
  for (const [state, ms] of Object.entries(r.stateTimesMs ?? {})) totals.states.set(state, (totals.states.get(state) ?? 0) + ms);
  totals.transfers += r.transfers;
  totals.tier2 += r.tier2Transfers;
}

/** Pure: the per-agent-day series (groupBy agent) → one row per agent, by display name. */
export function buildAgentTable(series: KpiSeries, agentNames: ReadonlyMap<string, string>, settings: MeasuringRules, generatedAt: Date): ReportTable {
  const byAgent = new Map<string, AgentTotals>();
  for (const r of series.rows) {
    if (r.agentId === null) continue;
    const totals = byAgent.get(r.agentId) ?? { attended: 0, talk: 0, hold: 0, ahtTalk: 0, ahtHold: 0, ahtAcw: 0, phone: [], chat: [], states: new Map(), transfers: 0, tier2: 0 };
    addDay(totals, r);
    byAgent.set(r.agentId, totals);
  }
  const seenStates = new Set<string>();
  for (const t of byAgent.values()) for (const s of t.states.keys()) seenStates.add(s);
  const states = [...seenStates].sort((a, b) => (STATE_ORDER.indexOf(a) + 1 || 99) - (STATE_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const stateColumns = states.map((s) => col(`state_${s}`, 'seconds', `Tiempo en «${STATE_LABELS[s]?.es ?? s}» (s)`, `Time in “${STATE_LABELS[s]?.en ?? s}” (s)`));
  const rows: ReportRow[] = [...byAgent]
    .map(([agentId, t]): ReportRow => {
      const occupancy = (days: KpiResult[]): KpiResult | null => (days.length === 0 ? null : consolidateOccupancy(days, 'pooled'));
      const phone = occupancy(t.phone);
      return {
        agent: agentNames.get(agentId) ?? agentId,
        agent_id: agentId,
        attended: t.attended,
        talk_s: msToSeconds(t.talk),
        hold_s: msToSeconds(t.hold),
        acw_s: msToSeconds(t.states.get('after_contact_work') ?? 0),
        available_s: msToSeconds(t.states.get('available') ?? 0),
        aht: averageHandleTime({ attended: t.attended, talkMs: t.ahtTalk, holdMs: t.ahtHold, afterContactWorkMs: t.ahtAcw, definition: settings.ahtDefinition }),
        occupancy_phone: phone,
        occupancy_chat: occupancy(t.chat),
        transfers: t.transfers,
        tier2_transfers: t.tier2,
        ...Object.fromEntries(states.map((s) => [`state_${s}`, msToSeconds(t.states.get(s) ?? 0)])),
      };
    })
    .sort((a, b) => String(a['agent']).localeCompare(String(b['agent']), 'es'));
  return {
    id: 'agents',
    title_es: `Reporte por asesor — ${settings.campaignName}`,
    title_en: `Agent report — ${settings.campaignName}`,
    columns: [...BASE_COLUMNS, ...stateColumns],
    rows,
    notes: standardNotes({
      timeZone: series.timeZone,
      generatedAt,
      formulas: kpisOf(rows),
      extra: [
        { label_es: 'Periodo', label_en: 'Period', value: `${series.query.from} a ${series.query.to}` },
        { label_es: 'Atendidas', label_en: 'Attended', value: 'contactos cuyo primer asesor fue este; los tiempos son los del propio asesor' },
        { label_es: 'Tiempos de estado', label_en: 'State times', value: 'intervalos de estado del asesor (kpi_agent_intervals) cortados en los límites de cada día' },
      ],
    }),
  };
}
