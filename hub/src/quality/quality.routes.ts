import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { authorize } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { drawMonthlySample, verifySample } from './draw-sample.usecase.js';
import { reassignItem, saveEvaluation } from './evaluate.usecase.js';
import { loadSample, QUALITY_MANAGERS, QUALITY_READERS } from './quality-access.js';
import { qualitySampleCsv } from './quality-csv.js';
import { monthlyQualityKpi } from './quality-kpi.js';
import { agentAverages, exportSampleRows, listSamples, qualityCampaigns, sampledInteraction, sampleItems } from './quality.queries.js';
import {
  channelKindSchema,
  createScorecardBody,
  drawBody,
  evaluationBody,
  interactionSchema,
  kpiResultSchema,
  monthSchema,
  sampleItemSchema,
  sampleViewSchema,
  scorecardViewSchema,
  updateScorecardBody,
} from './quality.schema.js';
import { DEFAULT_SCORECARD_ITEMS, DEFAULT_SCORECARD_NAME } from './scorecard.schema.js';
import { activateScorecard, createScorecard, deleteDraftScorecard, listScorecards, updateScorecard } from './scorecards.usecase.js';

const tags = ['quality'];
const idParams = z.object({ id: z.uuid() });
const itemParams = z.object({ id: z.uuid(), conversationId: z.uuid() });
const campaignQuery = z.object({ campaignId: z.uuid() });

/** Quality sampling (issue 9 item 8): scorecards, monthly samples, evaluations, the quality KPI. */
export function qualityRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/quality/campaigns',
      { schema: { tags, summary: 'Campañas en las que el usuario trabaja calidad / campaigns the caller works on in quality', response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string(), timeZone: z.string() })) }) } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, QUALITY_READERS);
        return { items: await qualityCampaigns(db, principal) };
      },
    );

    app.get(
      '/quality/scorecard-template',
      { schema: { tags, summary: 'Guía de monitoreo sugerida / the default scorecard', response: { 200: z.object({ name: z.string(), items: z.array(z.object({ id: z.string(), label: z.string(), weight: z.number(), critical: z.boolean() })) }) } } },
      async (request) => {
        authorize(principalOf(request), QUALITY_READERS);
        return { name: DEFAULT_SCORECARD_NAME, items: [...DEFAULT_SCORECARD_ITEMS] };
      },
    );

    app.get(
      '/quality/scorecards',
      { schema: { tags, summary: 'Guías de monitoreo de una campaña, todas sus versiones / a campaign’s scorecards, every version', querystring: campaignQuery, response: { 200: z.object({ items: z.array(scorecardViewSchema) }) } } },
      async (request) => {
        authorize(principalOf(request), QUALITY_READERS, request.query.campaignId);
        return { items: await listScorecards(db, request.query.campaignId) };
      },
    );

    app.post(
      '/quality/scorecards',
      { schema: { tags, summary: 'Crear una guía en borrador (nueva versión si el nombre existe) / create a draft scorecard', body: createScorecardBody, response: { 201: scorecardViewSchema } } },
      async (request, reply) => reply.status(201).send(await createScorecard(db, principalOf(request), request.body, requestMeta(request))),
    );

    app.patch(
      '/quality/scorecards/:id',
      { schema: { tags, summary: 'Editar una guía en borrador / edit a draft scorecard', params: idParams, body: updateScorecardBody, response: { 200: scorecardViewSchema } } },
      async (request) => updateScorecard(db, principalOf(request), request.params.id, request.body, requestMeta(request)),
    );

    app.post(
      '/quality/scorecards/:id/activate',
      { schema: { tags, summary: 'Activar una guía (la activa anterior se archiva) / activate a draft (the previous active one is archived)', params: idParams, response: { 200: scorecardViewSchema } } },
      async (request) => activateScorecard(db, principalOf(request), request.params.id, requestMeta(request)),
    );

    app.delete(
      '/quality/scorecards/:id',
      { schema: { tags, summary: 'Borrar una guía en borrador / delete a draft scorecard', params: idParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await deleteDraftScorecard(db, principalOf(request), request.params.id, requestMeta(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/quality/samples',
      {
        schema: {
          tags,
          summary: 'Sortear la muestra mensual de una campaña y canal / draw the monthly sample of a campaign and channel kind',
          description: 'Supervisores y administradores. 409 si ya existe; `redraw` (solo administradores) la reemplaza mientras nadie haya evaluado.',
          body: drawBody,
          response: { 201: z.object({ sampleId: z.uuid(), population: z.number().int(), drawn: z.number().int(), sampleSize: z.number().int(), seed: z.string() }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, request.body.redraw ? ['admin'] : QUALITY_MANAGERS, request.body.campaignId);
        const meta = requestMeta(request);
        const drawn = await drawMonthlySample(db, request.body, { userId: principal.userId, ip: meta.ip, userAgent: meta.userAgent });
        if (!drawn) throw new Error('draw returned nothing without skipExisting');
        return reply.status(201).send({ sampleId: drawn.sampleId, population: drawn.population, drawn: drawn.drawn, sampleSize: drawn.sampleSize, seed: drawn.seed });
      },
    );

    app.get(
      '/quality/samples',
      {
        schema: {
          tags,
          summary: 'Muestras de una campaña con su avance (evaluadas x / N) / a campaign’s samples with progress',
          querystring: campaignQuery.extend({ month: monthSchema.optional() }),
          response: { 200: z.object({ items: z.array(sampleViewSchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, QUALITY_READERS, request.query.campaignId);
        return { items: await listSamples(db, principal, request.query.campaignId, request.query.month) };
      },
    );

    app.get(
      '/quality/samples/:id/items',
      { schema: { tags, summary: 'Interacciones sorteadas, en orden de sorteo / the sampled interactions in draw order', params: idParams, response: { 200: z.object({ items: z.array(sampleItemSchema) }) } } },
      async (request) => {
        await loadSample(db, principalOf(request), request.params.id);
        return { items: await sampleItems(db, request.params.id) };
      },
    );

    app.get(
      '/quality/samples/:id/items/:conversationId',
      {
        schema: {
          tags,
          summary: 'Una interacción sorteada: transcripción completa, grabaciones, evaluación y guía / one sampled interaction: timeline, recordings, evaluation and scorecard',
          params: itemParams,
          response: { 200: interactionSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const sample = await loadSample(db, principal, request.params.id);
        const found = await sampledInteraction(db, sample, request.params.conversationId);
        return { sample: { id: sample.id, campaignId: sample.campaign_id, channelKind: sample.channel_kind, month: sample.month, sampleSize: sample.sample_size }, ...found };
      },
    );

    app.put(
      '/quality/samples/:id/items/:conversationId/evaluation',
      {
        schema: {
          tags,
          summary: 'Evaluar (o revisar) una interacción sorteada; la calificación la calcula el hub / score or revise a sampled interaction; the hub computes the score',
          params: itemParams,
          body: evaluationBody,
          response: { 200: z.object({ id: z.uuid(), score: z.number(), criticalFailed: z.array(z.string()), revised: z.boolean(), scorecardId: z.uuid(), agentId: z.uuid().nullable() }) },
        },
      },
      async (request) => saveEvaluation(db, principalOf(request), request.params.id, request.params.conversationId, request.body, requestMeta(request)),
    );

    app.put(
      '/quality/samples/:id/items/:conversationId/assignment',
      {
        schema: {
          tags,
          summary: 'Reasignar una interacción a otro analista (o a nadie) / reassign an item to another analyst (or nobody)',
          params: itemParams,
          body: z.object({ analystId: z.uuid().nullable() }),
          response: { 200: z.object({ analystId: z.uuid().nullable() }) },
        },
      },
      async (request) => reassignItem(db, principalOf(request), request.params.id, request.params.conversationId, request.body.analystId, requestMeta(request)),
    );

    app.get(
      '/quality/samples/:id/export',
      { schema: { tags, summary: 'Descargar la muestra con sus calificaciones (CSV) / download the sample with its scores as CSV', params: idParams, produces: ['text/csv'] } },
      async (request, reply) => {
        const principal = principalOf(request);
        const sample = await loadSample(db, principal, request.params.id, ['admin', 'supervisor', 'auditor']);
        const rows = await exportSampleRows(db, sample.id);
        await recordAudit(db, { actorUserId: principal.userId, ...requestMeta(request), action: 'data.exported', campaignId: sample.campaign_id, targetType: 'quality_sample', targetId: sample.id, details: { export: 'quality-sample', month: sample.month, channelKind: sample.channel_kind, rows: rows.length } });
        const filename = `calidad-${sample.month}-${sample.channel_kind}-${sample.id.slice(0, 8)}.csv`;
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(qualitySampleCsv(rows));
      },
    );

    app.get(
      '/quality/samples/:id/verify',
      {
        schema: {
          tags,
          summary: 'Repetir el sorteo con la semilla guardada y compararlo / redo the draw from the stored seed and compare',
          params: idParams,
          response: { 200: z.object({ matches: z.boolean(), storedPopulation: z.number().int(), population: z.number().int(), redrawn: z.array(z.uuid()), stored: z.array(z.uuid()) }) },
        },
      },
      async (request) => {
        await loadSample(db, principalOf(request), request.params.id, ['admin', 'supervisor', 'auditor']);
        return verifySample(db, request.params.id);
      },
    );

    app.get(
      '/quality/kpi',
      {
        schema: {
          tags,
          summary: 'KPI de calidad del mes: Σ calificaciones / N, por canal y promedio por agente / the month’s quality KPI, per channel, and each agent’s average',
          querystring: campaignQuery.extend({ month: monthSchema, channelKind: channelKindSchema.optional() }),
          response: {
            200: z.object({
              overall: kpiResultSchema,
              byChannel: z.array(z.object({ channelKind: z.string(), kpi: kpiResultSchema })),
              agents: z.array(z.object({ agentId: z.uuid().nullable(), displayName: z.string().nullable(), evaluations: z.number().int(), scoreSum: z.number(), averageScore: z.number().nullable() })),
            }),
          },
        },
      },
      async (request) => {
        const { campaignId, month, channelKind } = request.query;
        authorize(principalOf(request), QUALITY_READERS, campaignId);
        const kinds = await db.selectFrom('quality_samples').select('channel_kind').distinct().where('campaign_id', '=', campaignId).where('month', '=', month).orderBy('channel_kind').execute();
        const byChannel = await Promise.all(kinds.map(async (k) => ({ channelKind: k.channel_kind, kpi: await monthlyQualityKpi(db, campaignId, month, k.channel_kind) })));
        return { overall: await monthlyQualityKpi(db, campaignId, month, channelKind ?? null), byChannel, agents: await agentAverages(db, campaignId, month) };
      },
    );
  };
}
