import { localDateOf } from '../../kpi/formulas/intervals.js';
import { monthsFromTo } from '../../sla/sla-months.js';
import type { RateCard, RateConcept } from '../billing.contract.js';
import { CONTRACT_OCCUPANCY_BANDS } from './rate-card.schema.js';

/**
 * The seed's price table as every campaign's starting card (seed-digest §5.7, "Acta de fallo",
 * L14013–L14052; quantities L13909–L13946). Prices are integer centavos: the implied price
 * (value ÷ quantity) rounded half up to 2 decimals (L13952: prices have 2 decimals). Where the
 * printed price is readable and agrees, it is the same number. The min side is used when min and
 * max values disagree: rows 6 and 7 show the max values are the inconsistent ones (§5.7 note *).
 * Rows 16–18 and 21–24 have no price ("N/A") and are not on the card.
 */

/**
 * No connector has this channel kind: concepts selecting it do not meter until an admin edits the
 * card. Rows 1/3 (and 2/4) are the same agent seat time, told apart only by who pays the line
 * (IMSS lines vs the provider's 01-800), which no event records; the provider's lines are the
 * default (≈ 29× the volume). A campaign on IMSS lines swaps the selectors in its draft.
 */
export const IMSS_LINES_KIND = 'lineas_imss';
/** Row 6 (PS-P on IMSS's own positions): same reasoning as IMSS_LINES_KIND. */
export const IMSS_POSITIONS_KIND = 'posiciones_imss';

const CONCEPTS: readonly RateConcept[] = [
  // Row 1 (L14013–L14052): $319,735.74 / 135,467 = 2.36025 → $2.36 (printed $2.36).
  {
    code: 'ps_i_inbound_imss_lines',
    name: 'Entrada PS-I por líneas del IMSS',
    nameEn: 'Inbound PS-I via IMSS lines',
    unit: 'minute',
    unitPriceCents: 236,
    minQuantity: 135_467,
    maxQuantity: 338_401,
    usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice', channelKind: IMSS_LINES_KIND },
  },
  // Row 2: $61,560.60 / 100,000 = 0.615606 → $0.62 (printed $0.62).
  {
    code: 'ps_p_inbound_imss_lines',
    name: 'Entrada PS-P por líneas del IMSS',
    nameEn: 'Inbound PS-P via IMSS lines',
    unit: 'minute',
    unitPriceCents: 62,
    minQuantity: 100_000,
    maxQuantity: 250_000,
    usage: { meter: 'agent_time', seatType: 'PS-P', channelClass: 'voice', channelKind: IMSS_LINES_KIND },
  },
  // Row 3 (default PS-I voice): printed "$2.36" is OCR; $9,389,526.60 / 3,946,917 = 2.378950 → $2.38.
  {
    code: 'ps_i_inbound',
    name: 'Entrada PS-I por 01-800 / líneas del proveedor',
    nameEn: 'Inbound PS-I via 01-800 / provider lines',
    unit: 'minute',
    unitPriceCents: 238,
    minQuantity: 3_946_917,
    maxQuantity: 9_867_293,
    usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice' },
  },
  // Row 4 (default PS-P voice): $995,217.76 / 353,267 = 2.817173 → $2.82 (printed $2.82).
  {
    code: 'ps_p_inbound',
    name: 'Entrada PS-P por 01-800 / líneas del proveedor',
    nameEn: 'Inbound PS-P via 01-800 / provider lines',
    unit: 'minute',
    unitPriceCents: 282,
    minQuantity: 353_267,
    maxQuantity: 883_168,
    usage: { meter: 'agent_time', seatType: 'PS-P', channelClass: 'voice' },
  },
  // Row 5: $195,637.50 / 83,333 = 2.347660 → $2.35 (printed $2.35). Wins over row 3 (more
  // specific) for agent time the metering marks outbound.
  {
    code: 'ps_i_outbound',
    name: 'Salida PS-I por 01-800 / líneas del proveedor',
    nameEn: 'Outbound PS-I via 01-800 / provider lines',
    unit: 'minute',
    unitPriceCents: 235,
    minQuantity: 83_333,
    maxQuantity: 208_333,
    usage: { meter: 'agent_time', seatType: 'PS-I', channelClass: 'voice', direction: 'outbound' },
  },
  // Row 6: $239,677.52 / 389,336 = 0.615606 → $0.62 (printed $0.62; the max value is the inconsistent one).
  {
    code: 'ps_p_own_positions',
    name: 'Minutos PS-P (posiciones propias del IMSS)',
    nameEn: 'PS-P minutes (IMSS own positions)',
    unit: 'minute',
    unitPriceCents: 62,
    minQuantity: 389_336,
    maxQuantity: 973_340,
    usage: { meter: 'agent_time', seatType: 'PS-P', channelClass: 'voice', channelKind: IMSS_POSITIONS_KIND },
  },
  // Row 7 (L14025): $162,559.44 / 389,495 = 0.417360 → $0.42 (printed $0.42).
  {
    code: 'ivr',
    name: 'Minutos de IVR',
    nameEn: 'IVR minutes',
    unit: 'minute',
    unitPriceCents: 42,
    minQuantity: 389_495,
    maxQuantity: 973_736,
    usage: { meter: 'ivr_time' },
  },
  // Row 8 (L14027): $49,012.50 / 2,763 = 17.738870 → $17.74 (printed $17.74).
  {
    code: 'email_outbound',
    name: 'Correo electrónico de salida (incluye atención de casos)',
    nameEn: 'Outbound email (incl. case attention)',
    unit: 'message',
    unitPriceCents: 1774,
    minQuantity: 2_763,
    maxQuantity: 6_908,
    usage: { meter: 'email_outbound' },
  },
  // Row 9 (L14028): printed "$0.98 (?)"; $1.26 / 3 = 0.42 → $0.42 (the max side, $3.13 / 8 = 0.39, is inconsistent).
  {
    code: 'email_mass_send',
    name: 'Envío masivo de correo electrónico',
    nameEn: 'Email mass send',
    unit: 'mass_send',
    unitPriceCents: 42,
    minQuantity: 3,
    maxQuantity: 8,
    usage: { meter: 'email_mass_send' },
  },
  // Row 10 (L14030, "minutos con segundos"): printed "$2.98" is OCR; $1,166,465.75 / 490,328 = 2.378950 → $2.38.
  {
    code: 'chat',
    name: 'Atención por chat',
    nameEn: 'Chat attention',
    unit: 'minute_seconds',
    unitPriceCents: 238,
    minQuantity: 490_328,
    maxQuantity: 1_225_819,
    usage: { meter: 'agent_time', channelClass: 'text' },
  },
  // Row 11 (L1994, L2010, L2152: minute of logged-in agent): printed $2.39, but $13,885.47 / 5,837
  // = 2.378871 and $34,713.67 / 14,592 = 2.378952 → $2.38 (the price chat and PS-I share). Text
  // seats serve chat and social alike; their time is chat unless the metering gives it the
  // WhatsApp channel kind (a campaign whose text seats only serve social networks).
  {
    code: 'social',
    name: 'Redes sociales y WhatsApp',
    nameEn: 'Social networks and WhatsApp',
    unit: 'minute',
    unitPriceCents: 238,
    minQuantity: 5_837,
    maxQuantity: 14_592,
    usage: { meter: 'agent_time', channelClass: 'text', channelKind: 'whatsapp' },
  },
  // Row 12 (L14034): $33,091.60 / 46,640 = 0.709511 → $0.71 (printed $0.71).
  {
    code: 'sms_outbound',
    name: 'SMS de salida',
    nameEn: 'Outbound SMS',
    unit: 'message',
    unitPriceCents: 71,
    minQuantity: 46_640,
    maxQuantity: 116_600,
    usage: { meter: 'sms_outbound' },
  },
  // Row 13 (L14035): printed "$236.71" is OCR; $473.01 / 667 = 0.709160 → $0.71.
  {
    code: 'sms_inbound',
    name: 'SMS de entrada',
    nameEn: 'Inbound SMS',
    unit: 'message',
    unitPriceCents: 71,
    minQuantity: 667,
    maxQuantity: 1_667,
    usage: { meter: 'sms_inbound' },
  },
  // Row 14 (L14036): $1,064.27 / 1,500 = 0.709513 → $0.71 (printed $0.71).
  {
    code: 'sms_mass_send',
    name: 'Envío masivo de SMS',
    nameEn: 'SMS mass send',
    unit: 'mass_send',
    unitPriceCents: 71,
    minQuantity: 1_500,
    maxQuantity: 3_750,
    usage: { meter: 'sms_mass_send' },
  },
  // Row 15 (L14038): $111,561.21 / 97,201 = 1.147738 → $1.15 (printed $1.15).
  {
    code: 'blaster',
    name: 'Mensaje de voz (blaster)',
    nameEn: 'Voice message (blaster)',
    unit: 'message',
    unitPriceCents: 115,
    minQuantity: 97_201,
    maxQuantity: 243_002,
    usage: { meter: 'blaster_message' },
  },
  // Row 19 (L14044; paid only outside the window, L7680): printed "$35.11 (?)"; $987.46 / 163 =
  // 6.058037 → $6.06 (the max side, $2,493.63 / 408 = 6.11, is inconsistent).
  {
    code: 'voicemail',
    name: 'Buzón de voz (fuera del horario de servicio)',
    nameEn: 'Voicemail (outside service hours)',
    unit: 'service',
    unitPriceCents: 606,
    minQuantity: 163,
    maxQuantity: 408,
    usage: { meter: 'voicemail' },
  },
  // Row 20 (L14045): printed $20,285.78 per month, readable (its implied column is "—"); one
  // service a month. The printed quantities 1 / 2 are kept (quoting only, L13955).
  {
    code: 'help_desk',
    name: 'Mesa de ayuda (servicio mensual)',
    nameEn: 'Help desk (monthly service)',
    unit: 'month',
    unitPriceCents: 2_028_578,
    minQuantity: 1,
    maxQuantity: 2,
    usage: null,
    fixedQuantity: 1,
  },
];

/** The current month where the contract runs (Mexico City), `YYYY-MM`. */
function currentMonth(): string {
  return localDateOf(Date.now()).slice(0, 7);
}

/** 24 months including this one: the month 23 months after `month`. */
function termEndFrom(month: string): string {
  const year = Number(month.slice(0, 4));
  const months = monthsFromTo(month, `${String(year + 2).padStart(4, '0')}-12`);
  return months[23] ?? month;
}

/**
 * The default card: the seed's priced rows (1–15, 19, 20), ACW billable (AT default, §5.2), the
 * occupancy tariff on PS-I voice seat time (§5.5, phone formula), no erroneous dispositions yet,
 * and a 24-month term ending 23 months after the current month unless `termEndMonth` is given.
 */
export function defaultRateCard(termEndMonth?: string): RateCard {
  return {
    currency: 'MXN',
    ivaPct: 16,
    billableStates: ['available', 'after_contact_work'],
    erroneousDispositions: [],
    termEndMonth: termEndMonth ?? termEndFrom(currentMonth()),
    globalCapPct: 10,
    occupancyTariff: {
      enabled: true,
      conceptCodes: ['ps_i_inbound_imss_lines', 'ps_i_inbound', 'ps_i_outbound'],
      formula: 'phone',
      sessions: 1,
      bands: CONTRACT_OCCUPANCY_BANDS.map((band) => ({ ...band })),
    },
    concepts: CONCEPTS.map((concept) => ({ ...concept, usage: concept.usage === null ? null : { ...concept.usage } })),
  };
}
