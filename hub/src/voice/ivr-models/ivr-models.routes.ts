import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestMeta } from '../../audit/audit.js';
import { authorize, type Principal } from '../../auth/principal.js';
import type { Role } from '../../db/schema.js';
import { principalOf } from '../../http/authenticate.js';
import type { HubContext } from '../../runtime/context.js';
import { voiceChannelsOf } from '../core/voice-channels.js';
import { detailOf, listIvrModels, loadIvrModel, promoteIvrModel, saveIvrDraft, type IvrModelActor } from './ivr-models.usecase.js';

/** Admins edit and promote a campaign's IVR; its supervisors may look (issue 8 item 2). */
const READERS: readonly Role[] = ['admin', 'supervisor'];
const EDITORS: readonly Role[] = ['admin'];

const summary = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  version: z.number().int(),
  status: z.enum(['draft', 'production', 'archived']),
  name: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  promotedAt: z.string().nullable(),
});
const detail = summary.extend({ tree: z.unknown() });
const idParams = z.object({ id: z.uuid() });
const draftBody = z
  .object({
    campaignId: z.uuid(),
    /** The tree as JSON, or `treeText` as typed in the console (problems then point at the text). */
    tree: z.unknown().optional(),
    treeText: z.string().max(1_000_000).optional(),
    note: z.string().max(500).nullish(),
  })
  .refine((b) => (b.tree === undefined) !== (b.treeText === undefined), { message: 'Envíe «tree» o «treeText», uno de los dos / send either tree or treeText' });

function actorOf(principal: Principal, request: Parameters<typeof requestMeta>[0]): IvrModelActor {
  const meta = requestMeta(request);
  return { userId: principal.userId, ip: meta.ip, userAgent: meta.userAgent };
}

/** `/api/v1/voice/ivr-models`: list per campaign, one version, save the draft, promote it. Audited. */
export function ivrModelsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['voice'];
    const base = '/voice/ivr-models';

    app.get(
      base,
      { schema: { tags, summary: 'Versiones del IVR de una campaña, la más reciente primero / IVR versions of a campaign', querystring: z.object({ campaignId: z.uuid() }), response: { 200: z.object({ items: z.array(summary) }) } } },
      async (request) => {
        authorize(principalOf(request), READERS, request.query.campaignId);
        return { items: await listIvrModels(db, request.query.campaignId) };
      },
    );

    app.get(`${base}/:id`, { schema: { tags, summary: 'Una versión del IVR con su árbol / one IVR version with its tree', params: idParams, response: { 200: detail } } }, async (request) => {
      const row = await loadIvrModel(db, request.params.id);
      authorize(principalOf(request), READERS, row.campaign_id);
      return detailOf(row);
    });

    app.put(
      `${base}/draft`,
      {
        schema: {
          tags,
          summary: 'Crear o reemplazar el borrador del IVR (validado; auditado) / create or replace the IVR draft (validated, audited)',
          body: draftBody,
          response: { 200: detail, 201: detail },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, EDITORS, request.body.campaignId);
        const { note } = request.body;
        const input = request.body.treeText !== undefined ? { treeText: request.body.treeText, note } : { tree: request.body.tree, note };
        const saved = await saveIvrDraft(db, request.body.campaignId, input, actorOf(principal, request));
        return reply.status(saved.created ? 201 : 200).send(saved.model);
      },
    );

    app.post(
      `${base}/:id/promote`,
      {
        schema: {
          tags,
          summary: 'Publicar el borrador: pasa a producción y la versión anterior se archiva (auditado) / promote the draft; the previous production version is archived',
          params: idParams,
          response: { 200: z.object({ model: detail, archivedId: z.uuid().nullable() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const row = await loadIvrModel(db, request.params.id);
        authorize(principal, EDITORS, row.campaign_id);
        const result = await promoteIvrModel(db, request.params.id, actorOf(principal, request));
        // Calls answered by this process use the new tree at once; other processes within 5 s.
        voiceChannelsOf(ctx).invalidateCampaign(row.campaign_id);
        return result;
      },
    );
  };
}
