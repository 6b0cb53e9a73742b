import type { Kysely } from 'kysely';
import type { Conversation, Database } from '../db/schema.js';

export interface TranscriptLine {
  at: Date;
  who: string;
  text: string | null;
  attachments: string[];
}

export interface Transcript {
  folio: string;
  timeZone: string;
  openedAt: Date;
  closedAt: Date | null;
  lines: TranscriptLine[];
}

/** Everything the citizen saw, in order: who wrote each line (Ciudadano / the agent's name / Sistema). */
export async function loadTranscript(db: Kysely<Database>, conversation: Conversation): Promise<Transcript> {
  const [campaign, rows] = await Promise.all([
    db.selectFrom('campaigns').select('time_zone').where('id', '=', conversation.campaign_id).executeTakeFirst(),
    db
      .selectFrom('messages as m')
      .leftJoin('users as u', 'u.id', 'm.sender_id')
      .select(['m.created_at', 'm.sender_type', 'm.text', 'm.attachments', 'u.display_name'])
      .where('m.conversation_id', '=', conversation.id)
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute(),
  ]);
  return {
    folio: conversation.folio,
    timeZone: campaign?.time_zone ?? 'America/Mexico_City',
    openedAt: conversation.opened_at,
    closedAt: conversation.closed_at,
    lines: rows.map((r) => ({
      at: r.created_at,
      who: r.sender_type === 'contact' ? 'Ciudadano' : r.sender_type === 'agent' ? (r.display_name ?? 'Agente') : r.sender_type === 'bot' ? 'Asistente virtual' : 'Sistema',
      text: r.text,
      attachments: r.attachments.map((a) => a.filename ?? 'archivo'),
    })),
  };
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('es-MX', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** Plain text, one line per message: `[26/11/2026, 10:05] Ciudadano: Hola`. */
export function transcriptText(t: Transcript): string {
  const at = formatter(t.timeZone);
  const header = [
    `Conversación ${t.folio}`,
    `Inicio: ${at.format(t.openedAt)} (${t.timeZone})`,
    ...(t.closedAt ? [`Fin: ${at.format(t.closedAt)}`] : []),
    '',
  ];
  const lines = t.lines.map((l) => {
    const files = l.attachments.map((name) => `[adjunto: ${name}]`);
    return `[${at.format(l.at)}] ${l.who}: ${[l.text ?? '', ...files].filter((p) => p !== '').join(' ')}`;
  });
  return [...header, ...lines, ''].join('\n');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

/** A standalone page (no scripts, no remote loads): every value escaped, since citizens wrote it. */
export function transcriptHtml(t: Transcript): string {
  const at = formatter(t.timeZone);
  const rows = t.lines
    .map((l) => {
      const files = l.attachments.map((name) => `<li>Adjunto: ${escapeHtml(name)}</li>`).join('');
      const text = l.text ? `<p>${escapeHtml(l.text).replace(/\n/g, '<br>')}</p>` : '';
      return `<li><p><time>${escapeHtml(at.format(l.at))}</time> <strong>${escapeHtml(l.who)}</strong></p>${text}${files ? `<ul>${files}</ul>` : ''}</li>`;
    })
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="es-MX"><head><meta charset="utf-8">',
    `<title>Conversación ${escapeHtml(t.folio)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;color:#1a1a1a}ol{list-style:none;padding:0}li>p{margin:.25rem 0}time{color:#555}</style>',
    '</head><body>',
    `<h1>Conversación ${escapeHtml(t.folio)}</h1>`,
    `<p>Inicio: ${escapeHtml(at.format(t.openedAt))} (${escapeHtml(t.timeZone)})${t.closedAt ? ` · Fin: ${escapeHtml(at.format(t.closedAt))}` : ''}</p>`,
    `<ol>\n${rows}\n</ol>`,
    '</body></html>',
    '',
  ].join('\n');
}
