import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { recordAudit, requestMeta } from '../../audit/audit.js';
import { authorize } from '../../auth/principal.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { statementCsv } from '../export/statement-csv.js';
import { statementPdf } from '../export/statement-pdf.js';
import { statementFilename } from '../export/statement-view.js';
import { statementXlsx } from '../export/statement-xlsx.js';
import { BILLING_EDIT_ROLES, BILLING_VIEW_ROLES } from '../rate-card/rate-card.routes.js';
import { loadRateCard } from '../rate-card/rate-card.store.js';
import { buildStatement } from '../statement/build-statement.js';
import { previousMonthOf } from '../statement/statement-loaders.js';
import { closeMonth } from '../statement/close-month.js';
import { deriveUsage } from '../usage/derive-usage.js';
import { listUsageFacts } from '../usage/usage-facts.query.js';
import { lineFactCsvRow, lineFactsCsvHeader } from './line-facts-csv.js';
import { allLineFacts, lineFactsPage, lineTotals, resolveLine, type LineScope } from './line-facts.query.js';
import { campaignParams, exportQuery, lineFactsCsvQuery, lineFactsQuery, lineParams, recomputeBody, statementParams, usageQuery } from './statement-inputs.schema.js';

const tags = ['billing'];

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

async function campaignOf(db: Kysely<Database>, campaignId: string): Promise<{ name: string; slug: string; timeZone: string }> {
  const row = await db.selectFrom('campaigns').select(['name', 'slug', 'time_zone']).where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return { name: row.name, slug: row.slug, timeZone: row.time_zone };
}

/** The line's scope: closed months answer from what their close stamped and the card it named. */
async function lineScope(db: Kysely<Database>, p: { campaignId: string; month: string; conceptCode: string }, usageMonth: string | undefined): Promise<LineScope> {
  const closed = await db.selectFrom('billing_months').select(['month', 'rate_card_id']).where('campaign_id', '=', p.campaignId).execute();
  const self = closed.find((c) => c.month === p.month);
  return resolveLine(db, {
    ...p,
    status: self ? 'closed' : 'open',
    rateCardId: self?.rate_card_id ?? null,
    usageMonth: usageMonth ?? p.month,
    closedMonths: closed.map((c) => c.month),
  });
}

/**
 * The monthly statement (issue 10 items 7–9) under /api/v1/billing: the statement as JSON and as
 * CSV / XLSX / PDF, the close, each line's usage facts (to folios), the month's usage facts and
 * their recomputation. Viewing: admin, supervisor, auditor of the campaign; changing: admin.
 *
 * Reading a statement does not derive usage (it would rewrite facts on a GET and cost a full
 * pass over the month's sources): an open month shows the facts as last derived by
 * `POST …/usage/recompute` (and by the close, which always derives first).
 */
export function statementRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/billing/campaigns/:campaignId/statements/:month',
      { schema: { tags, summary: 'Estado de cuenta del mes: líneas con traza, deductivas, penas, IVA, consumo y exclusiones / monthly statement', params: statementParams } },
      async (request) => {
        const { campaignId, month } = request.params;
        authorize(principalOf(request), BILLING_VIEW_ROLES, campaignId);
        return buildStatement(db, campaignId, month, { derive: false });
      },
    );

    app.get(
      '/billing/campaigns/:campaignId/statements/:month/export',
      {
        schema: {
          tags,
          summary: 'Estado de cuenta en CSV, XLSX o PDF (auditado) / statement as CSV, XLSX or PDF (audited)',
          params: statementParams,
          querystring: exportQuery,
          produces: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx, CONTENT_TYPES.pdf],
        },
      },
      async (request, reply) => {
        const { campaignId, month } = request.params;
        const { format } = request.query;
        const principal = principalOf(request);
        authorize(principal, BILLING_VIEW_ROLES, campaignId);
        const campaign = await campaignOf(db, campaignId);
        const statement = await buildStatement(db, campaignId, month, { derive: false });
        const meta = { campaignName: campaign.name, generatedAt: new Date() };
        const body = format === 'csv' ? statementCsv(statement, meta) : format === 'xlsx' ? await statementXlsx(statement, meta) : await statementPdf(statement, meta);
        await recordAudit(db, {
          action: 'billing.statement_exported',
          actorUserId: principal.userId,
          ...requestMeta(request),
          campaignId,
          targetType: 'billing_month',
          targetId: `${campaignId}:${month}`,
          details: { format, month, status: statement.status, rateCard: statement.rateCard, inputsHash: statement.inputsHash, totalCents: statement.totalCents, lines: statement.lines.length },
        });
        return reply
          .header('content-type', CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="${statementFilename(campaign.slug, month, format)}"`)
          .send(body);
      },
    );

    app.post(
      '/billing/campaigns/:campaignId/statements/:month/close',
      { schema: { tags, summary: 'Cerrar el mes: el estado de cuenta queda congelado (solo admin) / close the month (admin)', params: statementParams } },
      async (request) => {
        const { campaignId, month } = request.params;
        const principal = principalOf(request);
        authorize(principal, BILLING_EDIT_ROLES, campaignId);
        return closeMonth(db, campaignId, month, { userId: principal.userId, ...requestMeta(request) });
      },
    );

    app.get(
      '/billing/campaigns/:campaignId/statements/:month/lines/:conceptCode/facts',
      {
        schema: {
          tags,
          summary: 'Hechos de uso detrás de una línea, hasta el folio (página por id) / the usage facts behind a line, down to folios (keyset page)',
          params: lineParams,
          querystring: lineFactsQuery,
        },
      },
      async (request) => {
        const { campaignId, month, conceptCode } = request.params;
        const { usageMonth, limit, after } = request.query;
        authorize(principalOf(request), BILLING_VIEW_ROLES, campaignId);
        await campaignOf(db, campaignId);
        const scope = await lineScope(db, { campaignId, month, conceptCode }, usageMonth);
        const page = await lineFactsPage(db, scope, { limit, after });
        return {
          conceptCode,
          month,
          usageMonth: scope.usageMonth,
          status: scope.status,
          rateCard: { id: scope.rateCard.id, version: scope.rateCard.version },
          unit: scope.concept.unit,
          selector: scope.concept.usage,
          // The sums are for the first page only: later pages are pure keyset reads.
          totals: after === undefined ? await lineTotals(db, scope) : null,
          items: page.items,
          next: page.nextAfter,
        };
      },
    );

    app.get(
      '/billing/campaigns/:campaignId/statements/:month/lines/:conceptCode/facts.csv',
      { schema: { tags, summary: 'Todos los hechos de una línea en CSV (auditado) / every fact of a line as CSV (audited)', params: lineParams, querystring: lineFactsCsvQuery, produces: [CONTENT_TYPES.csv] } },
      async (request, reply) => {
        const { campaignId, month, conceptCode } = request.params;
        const principal = principalOf(request);
        authorize(principal, BILLING_VIEW_ROLES, campaignId);
        const campaign = await campaignOf(db, campaignId);
        const scope = await lineScope(db, { campaignId, month, conceptCode }, request.query.usageMonth);
        await recordAudit(db, {
          action: 'billing.statement_exported',
          actorUserId: principal.userId,
          ...requestMeta(request),
          campaignId,
          targetType: 'billing_month',
          targetId: `${campaignId}:${month}`,
          details: { format: 'csv', export: 'line-facts', month, conceptCode, usageMonth: scope.usageMonth, status: scope.status },
        });
        // Rows go out in chunks of 1,000 (one write per chunk, not per row).
        async function* lines(): AsyncGenerator<string> {
          let chunk = lineFactsCsvHeader();
          let rows = 0;
          for await (const fact of allLineFacts(db, scope)) {
            chunk += lineFactCsvRow(fact, campaign.timeZone);
            if (++rows % 1000 === 0) {
              yield chunk;
              chunk = '';
            }
          }
          if (chunk) yield chunk;
        }
        const filename = statementFilename(campaign.slug, month, 'csv').replace('.csv', `-${conceptCode}-${scope.usageMonth}-hechos.csv`);
        return reply.header('content-type', CONTENT_TYPES.csv).header('content-disposition', `attachment; filename="${filename}"`).send(Readable.from(lines()));
      },
    );

    app.get(
      '/billing/campaigns/:campaignId/usage',
      { schema: { tags, summary: 'Hechos de uso del mes (por medidor o folio; página por id) / the month’s usage facts (keyset page)', params: campaignParams, querystring: usageQuery } },
      async (request) => {
        const { campaignId } = request.params;
        authorize(principalOf(request), BILLING_VIEW_ROLES, campaignId);
        await campaignOf(db, campaignId);
        const { month, meter, folio, limit, after } = request.query;
        return listUsageFacts(db, campaignId, { month, meter, folio, limit, after });
      },
    );

    app.post(
      '/billing/campaigns/:campaignId/usage/recompute',
      { schema: { tags, summary: 'Recalcular los hechos de uso del mes con las reglas de la tarifa (solo admin; auditado) / recompute the month’s usage facts (admin)', params: campaignParams, body: recomputeBody } },
      async (request) => {
        const { campaignId } = request.params;
        const { month } = request.body;
        const principal = principalOf(request);
        authorize(principal, BILLING_EDIT_ROLES, campaignId);
        const card = await loadRateCard(db, campaignId);
        const rules = { billableStates: card.card.billableStates, erroneousDispositions: card.card.erroneousDispositions };
        // The month before, when closed: its late events become this month's adjustments (as the statement's own derivation does).
        const before = previousMonthOf(month, (await campaignOf(db, campaignId)).timeZone);
        const closedBefore = await db.selectFrom('billing_months').select('month').where('campaign_id', '=', campaignId).where('month', '=', before).executeTakeFirst();
        const previous = closedBefore ? { month: before, ...(await deriveUsage(db, campaignId, before, rules)) } : null;
        const result = await deriveUsage(db, campaignId, month, rules);
        await recordAudit(db, {
          action: 'billing.usage_recomputed',
          actorUserId: principal.userId,
          ...requestMeta(request),
          campaignId,
          targetType: 'billing_month',
          targetId: `${campaignId}:${month}`,
          details: { month, rateCard: { id: card.id, version: card.version }, ...result, previous },
        });
        return { month, rateCard: { id: card.id, version: card.version }, ...result, previous };
      },
    );
  };
}
