import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { authorize } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { voiceUsageCsv } from './voice-usage-csv.js';
import { voiceUsageReport } from './voice-usage.query.js';

/**
 * Voice usage (issue 8 item 9) under /api/v1/voice: admins, and supervisors and auditors of the
 * campaign. `/voice/usage` answers JSON; `/voice/usage.csv` the per-call lines for a spreadsheet
 * (an audited export: it carries folios).
 */
const READERS: readonly Role[] = ['admin', 'supervisor', 'auditor'];
const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const usageQuery = z.object({
  campaignId: z.uuid(),
  from: dateOrDateTime.optional().describe('Desde (incluido): fecha AAAA-MM-DD en la zona de la campaña o fecha-hora ISO / from (inclusive): date in the campaign time zone or ISO date-time'),
  to: dateOrDateTime.optional().describe('Hasta: una fecha incluye ese día completo; una fecha-hora queda excluida / to: a date includes that whole day; a date-time is exclusive'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('Llamadas listadas como máximo / at most this many calls listed'),
});

const seatType = z.enum(['PS-I', 'PS-P']).nullable();
const usageView = z.object({
  campaignId: z.uuid(),
  totals: z.array(
    z.object({
      concept: z.string(),
      unit: z.enum(['second', 'message']),
      seatType,
      quantity: z.number().int().describe('Segundos enteros (cada tramo truncado) o mensajes / whole seconds (each segment floored) or messages'),
      exactSeconds: z.number().describe('Suma exacta de los tramos (ms ÷ 1000): la base de los minutos facturables / exact sum of the spans: what billable minutes are floored from'),
      facts: z.number().int(),
    }),
  ),
  calls: z.array(
    z.object({
      callSid: z.string(),
      kind: z.string(),
      conversationId: z.uuid().nullable(),
      folio: z.string().nullable(),
      startedAt: z.string(),
      endedAt: z.string(),
      ourSeconds: z.number().int(),
      conceptSeconds: z.number().int(),
      twilioSeconds: z.number().int().nullable().describe('CallDuration de Twilio / Twilio’s CallDuration'),
      differenceSeconds: z.number().int().nullable(),
      mismatch: z.boolean().describe('Diferencia con Twilio mayor a 2 s / more than 2 s apart from Twilio'),
      concepts: z.record(z.string(), z.number()),
    }),
  ),
  callCount: z.number().int(),
  mismatches: z.number().int(),
  truncated: z.boolean(),
});

export function voiceUsageRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['voice'];

    app.get(
      '/voice/usage',
      { schema: { tags, summary: 'Consumo de voz por concepto y tipo de posición, y por llamada contra Twilio / voice usage per concept and seat type, and per call against Twilio', querystring: usageQuery, response: { 200: usageView } } },
      async (request) => {
        const { campaignId, from, to, limit } = request.query;
        authorize(principalOf(request), READERS, campaignId);
        return voiceUsageReport(db, campaignId, { from, to }, limit);
      },
    );

    app.get(
      '/voice/usage.csv',
      { schema: { tags, summary: 'Consumo de voz por llamada en CSV / voice usage per call as CSV', querystring: usageQuery.omit({ limit: true }), produces: ['text/csv'] } },
      async (request, reply) => {
        const { campaignId, from, to } = request.query;
        const principal = principalOf(request);
        authorize(principal, READERS, campaignId);
        const report = await voiceUsageReport(db, campaignId, { from, to }, 100_000);
        await recordAudit(db, { actorUserId: principal.userId, ...requestMeta(request), action: 'data.exported', campaignId, targetType: 'campaign', targetId: campaignId, details: { export: 'voice-usage', rows: report.calls.length, from: from ?? null, to: to ?? null } });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="consumo-voz-${campaignId.slice(0, 8)}.csv"`)
          .send(voiceUsageCsv(report));
      },
    );
  };
}
