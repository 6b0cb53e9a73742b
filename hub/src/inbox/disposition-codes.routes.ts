import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { authorize, STAFF_ROLES } from '../auth/principal.js';
import type { DispositionCodesTable } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import { bilingual } from '../router/config/routing-problem.js';
import type { HubContext } from '../runtime/context.js';
import { MAX_DISPOSITION_DEPTH } from './disposition-tree.js';
import { ADMIN_OR_SUPERVISOR, assertCampaignExists, auditChange, documented, idParams, isUniqueViolation, parseBody, type Db } from './inbox-http.js';

/**
 * Tipification (disposition) codes: a tree of at most three levels per campaign, picked by the
 * agent when resolving (wrap-up.usecase.ts). Never deleted, since closed conversations point at
 * them: deactivated instead.
 */

const labelField = z
  .string()
  .trim()
  .min(1, bilingual('la etiqueta es obligatoria', 'label is required'))
  .max(120, bilingual('la etiqueta admite hasta 120 caracteres', 'label is at most 120 characters'));
const positionField = z
  .number()
  .int(bilingual('la posición debe ser un entero', 'position must be an integer'))
  .min(0, bilingual('la posición va de 0 a 9999', 'position is 0–9999'))
  .max(9999, bilingual('la posición va de 0 a 9999', 'position is 0–9999'));

const createBody = z.object({
  parentId: z.uuid(bilingual('el padre debe ser un UUID', 'parentId must be a UUID')).nullable().optional(),
  code: z
    .string()
    .regex(/^[A-Z0-9._-]{1,20}$/, bilingual('el código debe tener de 1 a 20 mayúsculas, dígitos, «.», «_» o «-»', 'code must be 1–20 upper-case letters, digits, ".", "_" or "-"')),
  label: labelField,
});
const updateBody = z
  .object({ label: labelField.optional(), active: z.boolean(bilingual('«active» debe ser verdadero o falso', 'active must be true or false')).optional(), position: positionField.optional() })
  .refine((b) => b.label !== undefined || b.active !== undefined || b.position !== undefined, bilingual('indique label, active o position', 'give label, active or position'));

const codeSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  parentId: z.uuid().nullable(),
  code: z.string(),
  label: z.string(),
  active: z.boolean(),
  position: z.number().int(),
});
type CodeView = z.infer<typeof codeSchema>;

const dispositionsSchema = z.object({
  items: z.array(z.object({ codeId: z.uuid(), code: z.string(), label: z.string(), position: z.number().int(), agentId: z.uuid().nullable(), createdAt: z.string() })),
  summary: z.string().nullable(),
});

function toView(row: Selectable<DispositionCodesTable>): CodeView {
  return { id: row.id, campaignId: row.campaign_id, parentId: row.parent_id, code: row.code, label: row.label, active: row.active, position: row.position };
}

function treeInvalid(es: string, en: string): HubError {
  return new HubError('HUB_ERR_DISPOSITION_TREE_INVALID', bilingual(es, en));
}

/** Depth of a new code under `parentId`, checking the parent is of the campaign and not a leaf level. */
async function depthUnder(db: Db, campaignId: string, parentId: string | null | undefined): Promise<number> {
  if (parentId === null || parentId === undefined) return 1;
  const parent = await db.selectFrom('disposition_codes').select(['campaign_id', 'depth', 'code']).where('id', '=', parentId).executeTakeFirst();
  if (!parent) throw treeInvalid(`la tipificación padre ${parentId} no existe`, `parent disposition code ${parentId} does not exist`);
  if (parent.campaign_id !== campaignId) throw treeInvalid(`la tipificación padre ${parentId} es de otra campaña`, `parent disposition code ${parentId} belongs to another campaign`);
  if (parent.depth >= MAX_DISPOSITION_DEPTH) {
    throw treeInvalid(`el árbol admite ${MAX_DISPOSITION_DEPTH} niveles; «${parent.code}» ya está en el último`, `the tree has at most ${MAX_DISPOSITION_DEPTH} levels; "${parent.code}" is on the last one`);
  }
  return parent.depth + 1;
}

export function dispositionCodesRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['inbox-knowledge'];

    app.get(
      '/campaigns/:id/disposition-codes',
      {
        schema: {
          tags,
          summary: 'Árbol de tipificaciones de la campaña, en lista plana / the campaign’s disposition codes, as a flat list',
          params: idParams,
          response: { 200: z.object({ items: z.array(codeSchema) }) },
        },
      },
      async (request) => {
        const campaignId = request.params.id;
        authorize(principalOf(request), STAFF_ROLES, campaignId);
        await assertCampaignExists(db, campaignId);
        const rows = await db.selectFrom('disposition_codes').selectAll().where('campaign_id', '=', campaignId).orderBy('depth').orderBy('position').orderBy('code').execute();
        return { items: rows.map(toView) };
      },
    );

    app.post(
      '/campaigns/:id/disposition-codes',
      {
        schema: {
          tags,
          summary: 'Crear tipificación, hasta 3 niveles (admin o supervisor) / create a disposition code, up to 3 levels',
          params: idParams,
          body: documented(createBody),
          response: { 201: codeSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const campaignId = request.params.id;
        authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
        const input = parseBody(createBody, request.body);
        const created = await db
          .transaction()
          .execute(async (trx) => {
            // Serialises creations in the campaign, so two siblings do not get the same position.
            const campaign = await trx.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().executeTakeFirst();
            if (!campaign) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
            const depth = await depthUnder(trx, campaignId, input.parentId);
            const parentId = input.parentId ?? null;
            const last = await trx
              .selectFrom('disposition_codes')
              .select(sql<number | null>`max(position)`.as('max'))
              .where('campaign_id', '=', campaignId)
              .where(parentId === null ? sql<boolean>`parent_id IS NULL` : sql<boolean>`parent_id = ${parentId}`)
              .executeTakeFirstOrThrow();
            const row = await trx
              .insertInto('disposition_codes')
              .values({ campaign_id: campaignId, parent_id: parentId, code: input.code, label: input.label, depth, position: last.max === null ? 0 : last.max + 1 })
              .returningAll()
              .executeTakeFirstOrThrow();
            await auditChange(trx, request, principal, { action: 'disposition_code.created', campaignId, targetType: 'disposition_code', targetId: row.id, details: { after: toView(row) } });
            return row;
          })
          .catch((error: unknown) => {
            if (isUniqueViolation(error, 'disposition_codes_code_key')) {
              throw new HubError('HUB_ERR_CONFLICT', `Ya existe la tipificación «${input.code}» en la campaña / disposition code "${input.code}" already exists in this campaign`);
            }
            throw error;
          });
        return reply.status(201).send(toView(created));
      },
    );

    app.put(
      '/disposition-codes/:id',
      {
        schema: {
          tags,
          summary: 'Cambiar etiqueta, posición o activar / desactivar una tipificación (no se borran) / relabel, reorder, or (de)activate a code',
          params: idParams,
          body: documented(updateBody),
          response: { 200: codeSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN_OR_SUPERVISOR);
        const input = parseBody(updateBody, request.body);
        const updated = await db.transaction().execute(async (trx) => {
          const before = await trx.selectFrom('disposition_codes').selectAll().where('id', '=', request.params.id).forUpdate().executeTakeFirst();
          if (!before) throw new HubError('HUB_ERR_DISPOSITION_CODE_NOT_FOUND');
          authorize(principal, ADMIN_OR_SUPERVISOR, before.campaign_id);
          const row = await trx
            .updateTable('disposition_codes')
            .set({
              ...(input.label !== undefined ? { label: input.label } : {}),
              ...(input.active !== undefined ? { active: input.active } : {}),
              ...(input.position !== undefined ? { position: input.position } : {}),
              updated_at: sql`now()`,
            })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          const details = { before: toView(before), after: toView(row) };
          await auditChange(trx, request, principal, { action: 'disposition_code.updated', campaignId: before.campaign_id, targetType: 'disposition_code', targetId: before.id, details });
          return row;
        });
        return toView(updated);
      },
    );

    app.get(
      '/conversations/:id/dispositions',
      {
        schema: {
          tags,
          summary: 'Tipificaciones y resumen con que se cerró la conversación / the codes and summary a conversation was closed with',
          params: idParams,
          response: { 200: dispositionsSchema },
        },
      },
      async (request) => {
        const conversation = await db.selectFrom('conversations').select(['id', 'campaign_id']).where('id', '=', request.params.id).executeTakeFirst();
        if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
        authorize(principalOf(request), STAFF_ROLES, conversation.campaign_id);
        const [items, wrapUp] = await Promise.all([
          db
            .selectFrom('conversation_dispositions as d')
            .innerJoin('disposition_codes as c', 'c.id', 'd.code_id')
            .select(['d.code_id', 'c.code', 'c.label', 'd.position', 'd.agent_id', 'd.created_at'])
            .where('d.conversation_id', '=', conversation.id)
            .orderBy('d.position')
            .execute(),
          db.selectFrom('conversation_wrap_ups').select('summary').where('conversation_id', '=', conversation.id).executeTakeFirst(),
        ]);
        return {
          items: items.map((i) => ({ codeId: i.code_id, code: i.code, label: i.label, position: i.position, agentId: i.agent_id, createdAt: i.created_at.toISOString() })),
          summary: wrapUp?.summary ?? null,
        };
      },
    );
  };
}
