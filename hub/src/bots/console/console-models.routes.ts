import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { authorizeEdit, authorizeRead } from './console-access.js';
import { actorOf } from './console-actor.js';
import type { ConsoleEngines } from './console-engines.js';
import { campaignParams, createDraftBody, importBody, modelDetail, modelParams, modelSummary, testBody, testResponse, updateDraftBody } from './console.schemas.js';
import { promoteModel, rollbackModel } from './model-promotion.usecase.js';
import { testUtterance } from './model-test.usecase.js';
import { trainDraft } from './model-training.usecase.js';
import { createDraft, exportModel, getModel, importModel, updateDraft } from './model-versions.usecase.js';
import { listModels } from './models.query.js';

/** A model of 300 intents × 20 phrases with answers and flows is a few MB: the hub's default body limit is 1 MB. */
const MODEL_BODY_LIMIT = 10 * 1024 * 1024;

/** The intent console's model versions (issue 7 item 5): drafts, training, the test box, production and rollback, export/import. */
export function consoleModelsRoutes(ctx: HubContext, engines: ConsoleEngines): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['bot-console'];
    const base = '/campaigns/:campaignId/bot';

    app.get(
      `${base}/models`,
      { schema: { tags, summary: 'Versiones del modelo del bot, la más reciente primero / bot model versions, newest first', params: campaignParams, response: { 200: z.object({ items: z.array(modelSummary) }) } } },
      async (request) => {
        authorizeRead(principalOf(request), request.params.campaignId);
        return { items: await listModels(db, request.params.campaignId) };
      },
    );

    app.post(
      `${base}/models`,
      {
        schema: {
          tags,
          summary: 'Nuevo borrador copiado de una versión, de producción o vacío (auditado) / new draft copied from a version, production or empty (audited)',
          params: campaignParams,
          body: createDraftBody,
          response: { 201: modelDetail },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        const detail = await createDraft(db, request.params.campaignId, request.body, actorOf(principal, request));
        return reply.status(201).send(detail);
      },
    );

    app.get(
      `${base}/models/:modelId`,
      { schema: { tags, summary: 'Una versión con su modelo / one version with its model', params: modelParams, response: { 200: modelDetail } } },
      async (request) => {
        authorizeRead(principalOf(request), request.params.campaignId);
        return getModel(db, request.params.campaignId, request.params.modelId);
      },
    );

    app.put(
      `${base}/models/:modelId`,
      {
        bodyLimit: MODEL_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Reemplazar el modelo de un borrador; hay que entrenarlo de nuevo (auditado) / replace a draft’s model, it must be trained again (audited)',
          params: modelParams,
          body: updateDraftBody,
          response: { 200: modelDetail },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        return updateDraft(db, request.params.campaignId, request.params.modelId, request.body, actorOf(principal, request));
      },
    );

    app.post(
      `${base}/models/:modelId/train`,
      {
        schema: {
          tags,
          summary: 'Entrenar un borrador: duración y exactitud con validación cruzada (auditado) / train a draft: duration and cross-validated accuracy (audited)',
          params: modelParams,
          response: { 200: modelDetail },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        return trainDraft(db, request.params.campaignId, request.params.modelId, actorOf(principal, request));
      },
    );

    app.post(
      `${base}/models/:modelId/test`,
      {
        schema: {
          tags,
          summary: 'Probar una frase: intención, puntaje, entidades y la respuesta del bot / test an utterance: intent, score, entities and the bot’s reply',
          params: modelParams,
          body: testBody,
          response: { 200: testResponse },
        },
      },
      async (request) => {
        authorizeEdit(principalOf(request), request.params.campaignId);
        return testUtterance(db, engines, request.params.campaignId, request.params.modelId, request.body.utterance);
      },
    );

    app.post(
      `${base}/models/:modelId/promote`,
      {
        schema: {
          tags,
          summary: 'Pasar a producción un borrador entrenado o una versión archivada (auditado) / promote a trained draft or an archived version (audited)',
          params: modelParams,
          response: { 200: modelDetail },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        return promoteModel(db, request.params.campaignId, request.params.modelId, actorOf(principal, request));
      },
    );

    app.post(
      `${base}/rollback`,
      {
        schema: {
          tags,
          summary: 'Regresar a la versión que estaba en producción antes (auditado) / roll back to the version in production before (audited)',
          params: campaignParams,
          response: { 200: modelDetail },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        return rollbackModel(db, request.params.campaignId, actorOf(principal, request));
      },
    );

    app.get(
      `${base}/models/:modelId/export`,
      { schema: { tags, summary: 'Descargar el modelo como JSON (auditado) / download the model as JSON (audited)', params: modelParams } },
      async (request, reply) => {
        const principal = principalOf(request);
        authorizeRead(principal, request.params.campaignId);
        const { model, version } = await exportModel(db, request.params.campaignId, request.params.modelId, actorOf(principal, request));
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="bot-model-v${version}.json"`)
          .send(JSON.stringify(model, null, 2));
      },
    );

    app.post(
      `${base}/import`,
      {
        bodyLimit: MODEL_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Importar un modelo exportado como borrador nuevo (auditado) / import an exported model as a new draft (audited)',
          params: campaignParams,
          body: importBody,
          response: { 201: modelDetail },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorizeEdit(principal, request.params.campaignId);
        const detail = await importModel(db, request.params.campaignId, request.body, actorOf(principal, request));
        return reply.status(201).send(detail);
      },
    );
  };
}
