import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import { recordAudit, requestMeta, type AuditAction } from '../../audit/audit.js';
import { authorize, type Principal } from '../../auth/principal.js';
import type { Database, VoiceBlast, VoiceBlastRecipient } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import { ADMIN_OR_SUPERVISOR } from '../../inbox/inbox-http.js';
import { hhmmOf } from './calling-window.js';
import type { blastSchema, recipientSchema, summarySchema } from './blast.schema.js';
import type { z } from 'zod';

/** Reads and views of blasts and their recipients; the access rule of the admin API. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Admins and supervisors of the blast's campaign (agents: 403 by role; other campaigns: 403). */
export function authorizeBlastManager(request: FastifyRequest, campaignId?: string): Principal {
  const principal = principalOf(request);
  authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
  return principal;
}

/** The blast, checked against the caller's campaigns (role first: an agent never learns whether it exists). */
export async function findBlastFor(db: Db, request: FastifyRequest, blastId: string, forUpdate = false): Promise<{ blast: VoiceBlast; principal: Principal }> {
  authorizeBlastManager(request);
  let query = db.selectFrom('voice_blasts').selectAll().where('id', '=', blastId);
  if (forUpdate) query = query.forUpdate();
  const blast = await query.executeTakeFirst();
  if (!blast) throw new HubError('HUB_ERR_VOICE_BLAST_NOT_FOUND');
  return { blast, principal: authorizeBlastManager(request, blast.campaign_id) };
}

export async function auditBlast(db: Db, request: FastifyRequest, principal: Principal, action: AuditAction, blast: Pick<VoiceBlast, 'id' | 'campaign_id'>, details: Record<string, unknown>): Promise<void> {
  await recordAudit(db, { actorUserId: principal.userId, ...requestMeta(request), action, campaignId: blast.campaign_id, targetType: 'voice_blast', targetId: blast.id, details });
}

export async function blastSummary(db: Db, blastId: string): Promise<z.infer<typeof summarySchema>> {
  const rows = await sql<{ status: string; n: string; attempts: string; in_call: string; retrying: string }>`
    SELECT status, count(*) AS n, coalesce(sum(attempts), 0) AS attempts,
           count(*) FILTER (WHERE in_call) AS in_call,
           count(*) FILTER (WHERE status = 'pending' AND attempts > 0) AS retrying
    FROM voice_blast_recipients WHERE blast_id = ${blastId} GROUP BY status`.execute(db);
  const byStatus: Record<string, number> = {};
  let total = 0;
  let attempts = 0;
  let inCall = 0;
  let retrying = 0;
  for (const r of rows.rows) {
    byStatus[r.status] = Number(r.n);
    total += Number(r.n);
    attempts += Number(r.attempts);
    inCall += Number(r.in_call);
    retrying += Number(r.retrying);
  }
  return { total, byStatus, attempts, inCall, retrying };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function blastView(db: Db, b: VoiceBlast): Promise<z.infer<typeof blastSchema>> {
  return {
    id: b.id,
    campaignId: b.campaign_id,
    channelId: b.channel_id,
    name: b.name,
    messageText: b.message_text,
    audioUrl: b.audio_url,
    options: b.options,
    queueId: b.queue_id,
    status: b.status,
    startAt: iso(b.start_at),
    window: b.window_start_minute === null || b.window_end_minute === null ? null : { start: hhmmOf(b.window_start_minute), end: hhmmOf(b.window_end_minute) },
    callsPerMinute: b.calls_per_minute,
    maxConcurrent: b.max_concurrent,
    maxAttempts: b.max_attempts,
    retryDelaySeconds: b.retry_delay_seconds,
    machinePolicy: b.machine_policy,
    createdAt: b.created_at.toISOString(),
    startedAt: iso(b.started_at),
    completedAt: iso(b.completed_at),
    summary: await blastSummary(db, b.id),
  };
}

export function recipientView(r: VoiceBlastRecipient): z.infer<typeof recipientSchema> {
  return {
    id: r.id,
    line: r.line,
    phone: r.phone,
    name: r.name,
    variables: r.variables,
    status: r.status,
    digits: r.digits,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    callSid: r.call_sid,
    lastError: r.last_error,
    updatedAt: r.updated_at.toISOString(),
  };
}
