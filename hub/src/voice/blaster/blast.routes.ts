import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AuditAction } from '../../audit/audit.js';
import type { VoiceBlast } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { assertCampaignExists, documented, parseBody, type Db } from '../../inbox/inbox-http.js';
import { bilingual } from '../../router/config/routing-problem.js';
import type { HubContext } from '../../runtime/context.js';
import { BUILTIN_VARIABLES, messageVariables } from './blast-message.js';
import { blastRecipientsRoutes } from './blast-recipients.routes.js';
import { auditBlast, authorizeBlastManager, blastView, findBlastFor } from './blast-store.js';
import { ACTION_WORDS, nextBlastStatus } from './blast-transitions.js';
import { blastParams, blastSchema, createBlastBody, listQuery, scheduleBlastBody, uploadReportSchema, type CreateBlastBody } from './blast.schema.js';
import { parseBlastList } from './blast-list.js';
import { DEFAULT_WINDOW, minuteOf } from './calling-window.js';
import { uploadBlastList } from './upload-blast-list.usecase.js';

/**
 * The blaster's admin API (issue 8 item 7) under /api/v1/voice/blasts: admins and supervisors of
 * the blast's campaign; every change audited. The life cycle is mass SMS's (draft → scheduled →
 * running → completed; pause / resume / cancel); the dialer (blast-dialer.worker.ts) calls.
 */
export const BLAST_MAX_RECIPIENTS = 100_000;
const tags = ['voice-blaster'];
const ACTION_AUDIT: Record<'pause' | 'resume' | 'cancel', AuditAction> = { pause: 'voice_blast.paused', resume: 'voice_blast.resumed', cancel: 'voice_blast.cancelled' };

async function assertVoiceChannel(db: Db, campaignId: string, channelId: string): Promise<void> {
  const channel = await db.selectFrom('channels').select('id').where('id', '=', channelId).where('campaign_id', '=', campaignId).where('kind', '=', 'voice').executeTakeFirst();
  if (!channel) throw new HubError('HUB_ERR_VOICE_BLAST_CHANNEL_INVALID');
}

async function assertQueue(db: Db, campaignId: string, input: CreateBlastBody): Promise<void> {
  if (input.queueId === undefined) return;
  const queue = await db.selectFrom('queues').select('id').where('id', '=', input.queueId).where('campaign_id', '=', campaignId).executeTakeFirst();
  if (!queue) throw new HubError('HUB_ERR_VOICE_BLAST_QUEUE_INVALID');
}

/** Variables of the message no recipient row can fill. */
async function unknownVariables(db: Db, blast: VoiceBlast): Promise<string[]> {
  if (!blast.message_text) return [];
  const columns = await sql<{ key: string }>`
    SELECT DISTINCT jsonb_object_keys(variables) AS key FROM voice_blast_recipients WHERE blast_id = ${blast.id} AND status = 'pending'`.execute(db);
  const known = new Set<string>([...BUILTIN_VARIABLES, ...columns.rows.map((r) => r.key)]);
  return messageVariables(blast.message_text).filter((v) => !known.has(v));
}

export function voiceBlastRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const base = '/voice/blasts';
    await app.register(blastRecipientsRoutes(ctx));

    app.get(base, { schema: { tags, summary: 'Campañas de mensajes de voz de una campaña / voice blasts of a campaign', querystring: listQuery, response: { 200: z.object({ items: z.array(blastSchema) }) } } }, async (request) => {
      const { campaignId } = request.query;
      authorizeBlastManager(request, campaignId);
      await assertCampaignExists(db, campaignId);
      const rows = await db.selectFrom('voice_blasts').selectAll().where('campaign_id', '=', campaignId).orderBy('created_at', 'desc').limit(200).execute();
      return { items: await Promise.all(rows.map((r) => blastView(db, r))) };
    });

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Crear una campaña de mensajes de voz en borrador, con su lista (CSV/TXT: teléfono[,nombre][,datos…]) / create a draft voice blast with its list',
          body: documented(createBlastBody),
          response: { 201: z.object({ blast: blastSchema, upload: uploadReportSchema.nullable() }) },
        },
      },
      async (request, reply) => {
        const input = parseBody(createBlastBody, request.body);
        const principal = authorizeBlastManager(request, input.campaignId);
        await assertCampaignExists(db, input.campaignId);
        await assertVoiceChannel(db, input.campaignId, input.channelId);
        await assertQueue(db, input.campaignId, input);
        // Parsed before anything is written: an unreadable list leaves nothing behind.
        const list = input.list === undefined ? null : parseBlastList(input.list, BLAST_MAX_RECIPIENTS);
        const window = input.window === undefined ? { startMinute: DEFAULT_WINDOW.startMinute, endMinute: DEFAULT_WINDOW.endMinute } : input.window === null ? null : { startMinute: minuteOf(input.window.start) ?? 0, endMinute: minuteOf(input.window.end) ?? 0 };
        const result = await db.transaction().execute(async (trx) => {
          const blast = await trx
            .insertInto('voice_blasts')
            .values({
              campaign_id: input.campaignId,
              channel_id: input.channelId,
              name: input.name,
              message_text: input.messageText ?? null,
              audio_url: input.audioUrl ?? null,
              options: JSON.stringify(input.options),
              queue_id: input.queueId ?? null,
              start_at: input.startAt ?? null,
              window_start_minute: window?.startMinute ?? null,
              window_end_minute: window?.endMinute ?? null,
              ...(input.callsPerMinute === undefined ? {} : { calls_per_minute: input.callsPerMinute }),
              ...(input.maxConcurrent === undefined ? {} : { max_concurrent: input.maxConcurrent }),
              ...(input.maxAttempts === undefined ? {} : { max_attempts: input.maxAttempts }),
              ...(input.retryDelaySeconds === undefined ? {} : { retry_delay_seconds: input.retryDelaySeconds }),
              ...(input.machinePolicy === undefined ? {} : { machine_policy: input.machinePolicy }),
              created_by: principal.userId,
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          const upload = list ? await uploadBlastList(trx, { blastId: blast.id, campaignId: blast.campaign_id, list, replace: false }) : null;
          await auditBlast(trx, request, principal, 'voice_blast.created', blast, { name: input.name, channelId: input.channelId, ...(upload ? { added: upload.added, invalid: upload.invalid } : {}) });
          return { blast, upload };
        });
        return reply.status(201).send({ blast: await blastView(db, result.blast), upload: result.upload });
      },
    );

    app.get(`${base}/:blastId`, { schema: { tags, summary: 'Una campaña de voz con su resumen / a voice blast with its summary', params: blastParams, response: { 200: blastSchema } } }, async (request) => {
      const { blast } = await findBlastFor(db, request, request.params.blastId);
      return blastView(db, blast);
    });

    app.post(
      `${base}/:blastId/schedule`,
      { schema: { tags, summary: 'Programar (startAt, o la hora guardada, o ya) / schedule (at startAt, the stored time, or now)', params: blastParams, body: documented(scheduleBlastBody), response: { 200: blastSchema } } },
      async (request) => {
        const input = parseBody(scheduleBlastBody, request.body ?? {});
        const row = await db.transaction().execute(async (trx) => {
          const { blast, principal } = await findBlastFor(trx, request, request.params.blastId, true);
          if (nextBlastStatus('schedule', blast) === null) throw new HubError('HUB_ERR_VOICE_BLAST_STATE', bilingual(`solo un borrador se programa (esta está «${blast.status}»)`, `only a draft can be scheduled (this one is "${blast.status}")`));
          const pending = await trx.selectFrom('voice_blast_recipients').select((eb) => eb.fn.countAll<string>().as('n')).where('blast_id', '=', blast.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
          if (Number(pending.n) === 0) throw new HubError('HUB_ERR_VOICE_BLAST_NO_RECIPIENTS');
          const unknown = await unknownVariables(trx, blast);
          if (unknown.length > 0) {
            const names = unknown.map((v) => `{${v}}`).join(', ');
            throw new HubError('HUB_ERR_VOICE_BLAST_VARIABLE_UNKNOWN', bilingual(`el mensaje usa ${names}, que la lista no trae`, `the message uses ${names}, which the list does not have`), { unknown });
          }
          const requested = input.startAt ? Date.parse(input.startAt) : (blast.start_at?.getTime() ?? 0);
          const startAt = new Date(Math.max(Date.now(), requested));
          const updated = await trx.updateTable('voice_blasts').set({ status: 'scheduled', start_at: startAt, updated_at: sql`now()` }).where('id', '=', blast.id).returningAll().executeTakeFirstOrThrow();
          await auditBlast(trx, request, principal, 'voice_blast.scheduled', blast, { startAt: startAt.toISOString(), pending: Number(pending.n) });
          return updated;
        });
        return blastView(db, row);
      },
    );

    for (const action of ['pause', 'resume', 'cancel'] as const) {
      app.post(
        `${base}/:blastId/${action}`,
        {
          schema: {
            tags,
            summary: { pause: 'Pausar: no se hacen más llamadas / pause: no more calls are placed', resume: 'Reanudar / resume', cancel: 'Cancelar: los pendientes no se llaman / cancel: pending recipients are not called' }[action],
            params: blastParams,
            response: { 200: blastSchema },
          },
        },
        async (request) => {
          const row = await db.transaction().execute(async (trx) => {
            const { blast, principal } = await findBlastFor(trx, request, request.params.blastId, true);
            const status = nextBlastStatus(action, blast);
            if (status === null) throw new HubError('HUB_ERR_VOICE_BLAST_STATE', bilingual(`no se puede ${ACTION_WORDS[action]} una campaña «${blast.status}»`, `cannot ${action} a "${blast.status}" voice blast`));
            const updated = await trx.updateTable('voice_blasts').set({ status, updated_at: sql`now()` }).where('id', '=', blast.id).returningAll().executeTakeFirstOrThrow();
            await auditBlast(trx, request, principal, ACTION_AUDIT[action], blast, { from: blast.status, to: status });
            return updated;
          });
          return blastView(db, row);
        },
      );
    }
  };
}
