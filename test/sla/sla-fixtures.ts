import { randomUUID } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../../hub/src/db/schema.js';
import { refreshNextOpened } from '../../hub/src/kpi/facts/fact-store.js';

/** A contact fact as the listener would have derived it (kpi_contact_facts has no FK: facts are rebuildable). */
export interface FactPlan {
  /** ISO instant with offset, e.g. 2026-03-02T10:00:00-06:00. */
  readonly receivedAt: string;
  /** Wait until answered, seconds; null = abandoned. */
  readonly answerWaitS: number | null;
  readonly talkS?: number;
  readonly surveyOffered?: boolean;
  readonly channelClass?: 'voice' | 'text' | 'email';
  /** The citizen (FCR); the conversation opens when it is received. */
  readonly contactId?: string;
}

export async function insertFacts(db: Kysely<Database>, campaignId: string, plans: readonly FactPlan[]): Promise<void> {
  const rows = plans.map((p, i) => {
    const received = new Date(p.receivedAt).getTime();
    const answered = p.answerWaitS === null ? null : new Date(received + p.answerWaitS * 1000);
    return {
      conversation_id: randomUUID(),
      campaign_id: campaignId,
      channel_kind: p.channelClass === 'email' ? 'email' : p.channelClass === 'text' ? 'webchat' : 'voice',
      channel_class: p.channelClass ?? 'voice',
      folio: `SLA-${i}`,
      received_at: new Date(received),
      answered_at: answered,
      answer_wait_ms: p.answerWaitS === null ? null : p.answerWaitS * 1000,
      abandoned_at: p.answerWaitS === null ? new Date(received + 40_000) : null,
      abandon_wait_ms: p.answerWaitS === null ? 40_000 : null,
      resolved_at: answered ? new Date(answered.getTime() + (p.talkS ?? 0) * 1000) : null,
      talk_ms: answered ? (p.talkS ?? 0) * 1000 : 0,
      hold_ms: 0,
      survey_offered: p.surveyOffered ?? false,
      survey_answered: false,
      transfers: 0,
      tier2_transferred: false,
      agent_ids: [],
      updated_from_event_id: 1,
      contact_id: p.contactId ?? null,
      opened_at: new Date(received),
    };
  });
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('kpi_contact_facts').values(rows.slice(i, i + 200)).execute();
  // As the listener does after writing facts: each citizen's next opening (FCR).
  await refreshNextOpened(db, rows.map((r) => r.conversation_id));
}

/** n copies of a plan (same day, spread by a minute each so the rows differ). */
export function times(n: number, plan: FactPlan): FactPlan[] {
  const start = new Date(plan.receivedAt).getTime();
  return Array.from({ length: n }, (_, i) => ({ ...plan, receivedAt: new Date(start + i * 60_000).toISOString() }));
}

/** A survey answer needs a real conversation (FK): contact + conversation on an API channel. */
export async function insertSurvey(db: Kysely<Database>, campaignId: string, channelId: string, createdAt: string, answers: Record<string, boolean>): Promise<void> {
  const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadano' }).returning('id').executeTakeFirstOrThrow();
  const folio = `SV-${randomUUID().slice(0, 8)}`;
  const conversation = await db
    .insertInto('conversations')
    .values({ folio, campaign_id: campaignId, channel_id: channelId, contact_id: contact.id, status: 'resolved', closed_at: new Date(createdAt) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const yes = Object.values(answers).filter(Boolean).length;
  await db
    .insertInto('survey_responses')
    .values({ conversation_id: conversation.id, campaign_id: campaignId, folio, channel_id: channelId, answers: JSON.stringify(answers), yes_count: yes, no_count: Object.keys(answers).length - yes, created_at: new Date(createdAt) })
    .execute();
}

/**
 * The text a PDF shows: pdfkit writes each line as hex strings inside TJ arrays (kerning numbers
 * between them); content streams are Flate-compressed unless compress: false.
 */
export function pdfVisibleText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  const re = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(raw)) !== null) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const bytes = pdf.subarray(start, end);
    try {
      streams.push(inflateSync(bytes).toString('latin1'));
    } catch {
      streams.push(bytes.toString('latin1'));
    }
    re.lastIndex = end + 'endstream'.length;
  }
  const lines: string[] = [];
  for (const stream of streams) {
    for (const tj of stream.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...(tj[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1] ?? '').join('');
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return lines.join('\n');
}
