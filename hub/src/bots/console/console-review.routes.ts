import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HubError } from '../../errors/error-registry.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { botMetrics } from './bot-metrics.query.js';
import { authorizeEdit, authorizeRead } from './console-access.js';
import { actorOf } from './console-actor.js';
import type { ConsoleEngines } from './console-engines.js';
import { addBody, campaignParams, flagBody, metricsQuery, metricsView, turnParams, unmatchedQuery, unmatchedView } from './console.schemas.js';
import { flagWrong } from './flag-wrong.usecase.js';
import { addToIntent, dismissUnmatched, listUnmatched } from './unmatched.usecase.js';

const DEFAULT_PERIOD_MS = 30 * 24 * 3600_000;

/** The intent console's review side (issue 7 item 5): the inbox of unmatched utterances, per-intent metrics, wrong-answer flags. */
export function consoleReviewRoutes(ctx: HubContext, engines: ConsoleEngines): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['bot-console'];
    const base = '/campaigns/:campaignId/bot';

    app.get(
      `${base}/unmatched`,
      {
        schema: {
          tags,
          summary: 'Frases que el bot no entendió, pendientes de revisión, las más recientes primero / utterances the bot did not understand, pending review',
          params: campaignParams,
          querystring: unmatchedQuery,
          response: { 200: z.object({ items: z.array(unmatchedView) }) },
        },
      },
      async (request) => {
        authorizeRead(principalOf(request), request.params.campaignId);
        return { items: await listUnmatched(db, engines, request.params.campaignId, request.query) };
      },
    );

    app.post(
      `${base}/unmatched/:turnId/add`,
      {
        schema: {
          tags,
          summary: 'Agregar la frase a una intención del borrador más reciente (auditado) / add the utterance to an intent of the newest draft (audited)',
          params: turnParams,
          body: addBody,
          response: { 200: z.object({ modelId: z.uuid() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        return addToIntent(db, request.params.campaignId, request.params.turnId, request.body, actorOf(principal, request));
      },
    );

    app.post(
      `${base}/unmatched/:turnId/dismiss`,
      {
        schema: {
          tags,
          summary: 'Descartar una frase del buzón (auditado) / dismiss an utterance from the inbox (audited)',
          params: turnParams,
          response: { 200: z.object({ dismissed: z.literal(true) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        return dismissUnmatched(db, request.params.campaignId, request.params.turnId, actorOf(principal, request));
      },
    );

    app.get(
      `${base}/metrics`,
      {
        schema: {
          tags,
          summary: 'Resultados del bot por intención: contención, derivación, exactitud, interacciones facturables / bot results per intent',
          params: campaignParams,
          querystring: metricsQuery,
          response: { 200: metricsView },
        },
      },
      async (request) => {
        authorizeRead(principalOf(request), request.params.campaignId);
        const to = request.query.to ? new Date(request.query.to) : new Date();
        const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
        if (from >= to) throw new HubError('HUB_ERR_VALIDATION', '«from» debe ser anterior a «to» / from must be before to');
        return botMetrics(db, request.params.campaignId, { from, to });
      },
    );

    app.post(
      `${base}/turns/:turnId/flag-wrong`,
      {
        schema: {
          tags,
          summary: 'Marcar una respuesta del bot como errónea (0 % de la interacción; auditado) / flag a bot answer as wrong (audited)',
          params: turnParams,
          body: flagBody,
          response: { 200: z.object({ outcome: z.literal('wrong'), repeated: z.boolean() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        return flagWrong(db, request.params.campaignId, request.params.turnId, request.body.reason, actorOf(principal, request));
      },
    );
  };
}
