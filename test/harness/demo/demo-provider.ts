import type { ChannelSpec } from './hub-admin-client.js';

/** The citizens the demo plays, one per network: `wa Hola`, `sms …`, `fb …`, `ig …`, `x …`. */
export type CitizenLine = 'wa' | 'sms' | 'fb' | 'ig' | 'x';
export const CITIZEN_LINES: readonly CitizenLine[] = ['wa', 'sms', 'fb', 'ig', 'x'];
export function isCitizenLine(word: string): word is CitizenLine {
  return CITIZEN_LINES.some((line) => line === word);
}
export const LINE_LABELS: Record<CitizenLine, string> = { wa: 'WhatsApp', sms: 'SMS', fb: 'Messenger', ig: 'Instagram', x: 'X' };

/**
 * Invented, clearly demo citizens: 55 1000 000x numbers and ids no network issues this way.
 * They are the same on every run, so a second run continues the same conversations.
 */
export const DEMO_CITIZENS = {
  wa: { name: 'Lucía Demo Hernández', waId: '5215510000001' },
  sms: { phone: '+525510000002' },
  fb: { psid: '6100000000000003' },
  ig: { igsid: '5200000000000004' },
  x: { id: '3001000000000005', name: 'Ciudadano Demo', screen_name: 'ciudadano_demo' },
} as const;

/** Who writes on each line, as printed. */
export const CITIZEN_DISPLAY: Record<CitizenLine, string> = {
  wa: `${DEMO_CITIZENS.wa.name} (+52 55 1000 0001)`,
  sms: '+52 55 1000 0002',
  fb: `PSID ${DEMO_CITIZENS.fb.psid}`,
  ig: `IGSID ${DEMO_CITIZENS.ig.igsid}`,
  x: `${DEMO_CITIZENS.x.name} (@${DEMO_CITIZENS.x.screen_name})`,
};

/** The first message of each citizen. */
export const FIRST_MESSAGES: Record<CitizenLine, string> = {
  wa: 'Hola, quiero saber el estatus de mi trámite',
  sms: 'Buenas tardes, ¿cómo consulto mis semanas cotizadas?',
  fb: 'Hola, necesito agendar una cita en mi unidad de medicina familiar',
  ig: '¿Dónde descargo mi constancia de vigencia de derechos?',
  x: 'Hola, quiero saber el estatus de mi incapacidad',
};

/** What a provider's harness saw the hub send, as the demo prints it. */
export interface OutboundSeen {
  line: CitizenLine;
  /** The recipient as the network names them (a phone, a PSID, an @handle). */
  to: string;
  text: string;
  /** The provider's answer: 2xx accepted, anything else refused (a wrong token, …). */
  status: number;
  /** The id the provider issued (wamid, SM…, mid, dm_event_id) when it accepted the send. */
  providerMessageId: string | undefined;
}

export interface ProviderContext {
  /** Runs a provider callback later (a receipt); errors are logged, never thrown; stop() cancels. */
  later(delayMs: number, what: string, task: () => Promise<Response | { status: number }>): void;
  /** When the provider reports delivered and read after accepting a send. */
  receiptDelaysMs: { delivered: number; read: number };
}

/** One network's harness, wrapped for the demo: its channel, its citizens, its receipts. */
export interface DemoProvider {
  readonly kind: ChannelSpec['kind'];
  /** As printed: «WhatsApp → …». */
  readonly label: string;
  readonly lines: readonly CitizenLine[];
  readonly harnessUrl: string;
  /** What the harness plays, one line for the banner. */
  readonly plays: string;
  spec(): ChannelSpec;
  /** The channel the hub stored for this provider (webhooks go to it). */
  attach(channelId: string): void;
  /** Posts a citizen's message, signed as the provider signs it; returns the provider's id for it. */
  citizenSends(line: CitizenLine, text: string): Promise<{ status: number; providerMessageId: string }>;
  /** Sends the harness answered since the last call; schedules the provider's receipts for each. */
  drainOutbound(ctx: ProviderContext): OutboundSeen[];
  stop(): Promise<void>;
}

/** «+52 55 1000 0001» from a wa_id (521…), an E.164 number or bare digits. */
export function displayPhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  const national = /^521(\d{10})$/.exec(digits)?.[1] ?? /^52(\d{10})$/.exec(digits)?.[1];
  if (!national) return raw.startsWith('+') ? raw : `+${digits}`;
  return `+52 ${national.slice(0, 2)} ${national.slice(2, 6)} ${national.slice(6)}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Ids shaped like the network's and unique per run (the hub deduplicates by provider id). */
export function uniqueSuffix(): string {
  sequence += 1;
  return `${Date.now()}${String(sequence).padStart(4, '0')}`;
}
let sequence = 0;
