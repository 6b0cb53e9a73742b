import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../audit/audit.js';
import { authorize } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { EXTERNAL_MODES, externalSettingsInputSchema, loadExternalSettings, providerFor, saveExternalSettings, viewOf } from './external-settings.store.js';
import { reconcile, runViewOf, storedDifferenceSchema } from './reconcile.usecase.js';

/**
 * External scheduling systems (issue 11 item 5), admin only: the campaign's mode and the
 * institution's endpoint (the shared secret is written, never read back), its health, the mirror's
 * position, reconciliations on demand and their history. README.md in this folder has the REST API
 * the institution implements.
 */
const ADMINS: readonly Role[] = ['admin'];

const params = z.object({ campaignId: z.uuid() });
const settingsView = z.object({
  campaignId: z.uuid(),
  mode: z.enum(EXTERNAL_MODES),
  baseUrl: z.string().nullable(),
  timeoutMs: z.number().int(),
  secretSet: z.boolean(),
  updatedAt: z.string().nullable(),
});
const mirrorView = z
  .object({
    lastEventId: z.string(),
    failingEventId: z.string().nullable(),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .nullable();
const runView = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  mode: z.enum(['source_of_truth', 'mirror']),
  trigger: z.enum(['manual', 'scheduled']),
  from: z.string(),
  to: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  counts: z.record(z.string(), z.number()),
  differences: z.array(storedDifferenceSchema),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
const reconcileBody = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export function externalSchedulingRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['appointments'];
    const base = '/appointments/campaigns/:campaignId/external';

    const mirrorOf = async (campaignId: string): Promise<z.output<typeof mirrorView>> => {
      const row = await db.selectFrom('appointment_mirror_cursors').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
      if (!row) return null;
      return {
        lastEventId: row.last_event_id,
        failingEventId: row.failing_event_id,
        attempts: row.attempts,
        nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
        lastError: row.last_error,
      };
    };

    app.get(
      base,
      {
        schema: {
          tags,
          summary: 'Sistema de citas externo de la campaña (admin) / the campaign’s external scheduling system (admin)',
          params,
          response: { 200: z.object({ settings: settingsView, mirror: mirrorView }) },
        },
      },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), ADMINS, campaignId);
        return { settings: viewOf(await loadExternalSettings(db, campaignId)), mirror: await mirrorOf(campaignId) };
      },
    );

    app.put(
      base,
      {
        schema: {
          tags,
          summary: 'Configurar el sistema de citas externo (admin; auditado; el secreto no se devuelve) / configure the external scheduling system (admin; audited; the secret is never returned)',
          params,
          // Parsed in the store so problems are bilingual; the union keeps the shape in OpenAPI.
          body: z.union([externalSettingsInputSchema, z.unknown()]),
          response: { 200: z.object({ settings: settingsView, mirror: mirrorView }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { campaignId } = request.params;
        authorize(principal, ADMINS, campaignId);
        const meta = requestMeta(request);
        const saved = await saveExternalSettings(db, campaignId, request.body, { userId: principal.userId, ip: meta.ip, userAgent: meta.userAgent });
        return { settings: viewOf(saved), mirror: await mirrorOf(campaignId) };
      },
    );

    app.get(
      `${base}/health`,
      {
        schema: {
          tags,
          summary: '¿Responde el sistema de la institución? (admin) / is the institution’s system answering? (admin)',
          params,
          response: { 200: z.object({ ok: z.boolean(), detail: z.string() }) },
        },
      },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), ADMINS, campaignId);
        return providerFor(await loadExternalSettings(db, campaignId)).health();
      },
    );

    app.post(
      `${base}/reconcile`,
      {
        schema: {
          tags,
          summary: 'Conciliar las citas con el sistema de la institución (admin; auditado) / reconcile the appointments with the institution’s system (admin; audited)',
          params,
          body: reconcileBody,
          response: { 200: z.object({ run: runView }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { campaignId } = request.params;
        authorize(principal, ADMINS, campaignId);
        const meta = requestMeta(request);
        const run = await reconcile(db, campaignId, { from: new Date(request.body.from), to: new Date(request.body.to) }, { kind: 'manual', userId: principal.userId, ip: meta.ip, userAgent: meta.userAgent });
        return { run };
      },
    );

    app.get(
      `${base}/reconciliations`,
      {
        schema: {
          tags,
          summary: 'Últimas conciliaciones y sus diferencias (admin) / latest reconciliations and their differences (admin)',
          params,
          response: { 200: z.object({ runs: z.array(runView) }) },
        },
      },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), ADMINS, campaignId);
        const rows = await db.selectFrom('appointment_reconciliation_runs').selectAll().where('campaign_id', '=', campaignId).orderBy('started_at', 'desc').limit(20).execute();
        return { runs: rows.map(runViewOf) };
      },
    );
  };
}
