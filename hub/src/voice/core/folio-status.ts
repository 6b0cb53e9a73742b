import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Folio read-back for the IVR (issue 8 item 2, self-service). Our folios look like
 * `DH-YYYYMMDD-NNNNNN`; a keypad has no letters or dashes, so the demo IVR captures the digits
 * only (voice-bridge/src/ivr/demo-ivr.ts) and the folio is rebuilt with the campaign's prefix.
 * A folio of another campaign is «not found»: a caller learns nothing about other lines.
 */
export function folioFromKeyed(keyed: string, prefix: string): string | null {
  const clean = keyed.trim().toUpperCase().replace(/\s+/g, '');
  if (/^\d{14,}$/.test(clean)) return `${prefix}-${clean.slice(0, 8)}-${clean.slice(8)}`;
  if (/^[A-Z]+-\d{8}-\d{6,}$/.test(clean)) return clean;
  return null;
}

/** The status in words, to fill «Su folio {{folio}} está: {{status}}.», or null when unknown here. */
export async function folioStatusText(db: Kysely<Database>, campaign: { id: string; folioPrefix: string; timeZone: string }, keyed: string): Promise<string | null> {
  const folio = folioFromKeyed(keyed, campaign.folioPrefix);
  if (folio === null) return null;
  const row = await db.selectFrom('conversations').select(['status', 'closed_at']).where('folio', '=', folio).where('campaign_id', '=', campaign.id).executeTakeFirst();
  if (!row) return null;
  const day = (at: Date) => new Intl.DateTimeFormat('es-MX', { timeZone: campaign.timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(at);
  switch (row.status) {
    case 'assigned':
    case 'waiting_contact':
      return 'en atención con un asesor';
    case 'bot':
    case 'queued':
    case 'offered':
      return 'en espera de ser atendido';
    case 'resolved':
      return row.closed_at ? `atendido; se concluyó el ${day(row.closed_at)}` : 'atendido';
    case 'abandoned':
      return row.closed_at ? `cerrado sin atención el ${day(row.closed_at)}; puede comunicarse de nuevo` : 'cerrado sin atención';
    default:
      return 'en trámite';
  }
}
