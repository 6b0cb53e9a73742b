import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { authorize, STAFF_ROLES } from '../auth/principal.js';
import type { CannedResponsesTable } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import { bilingual } from '../router/config/routing-problem.js';
import type { HubContext } from '../runtime/context.js';
import { CANNED_VARIABLES, cannedVariablesIn } from './canned-variables.js';
import { ADMIN_OR_SUPERVISOR, assertCampaignExists, auditChange, containsPattern, documented, idParams, isUniqueViolation, noContent, parseBody, type Db } from './inbox-http.js';

/**
 * Canned responses per campaign (seed-digest §1.3 "frases predefinidas"): the agent types
 * `/shortcut` in the composer; the UI renders the variables with renderCannedResponse.
 */

const cannedBody = z.object({
  shortcut: z
    .string()
    .regex(/^[a-z0-9_-]{2,40}$/, bilingual('el atajo debe tener de 2 a 40 minúsculas sin acentos, dígitos, «-» o «_»', 'shortcut must be 2–40 lower-case letters, digits, "-" or "_"')),
  title: z.string().trim().min(1, bilingual('el título es obligatorio', 'title is required')).max(120, bilingual('el título admite hasta 120 caracteres', 'title is at most 120 characters')),
  body: z.string().trim().min(1, bilingual('el texto es obligatorio', 'body is required')).max(4000, bilingual('el texto admite hasta 4000 caracteres', 'body is at most 4000 characters')),
});
type CannedInput = z.output<typeof cannedBody>;

const cannedSchema = z.object({ id: z.uuid(), campaignId: z.uuid(), shortcut: z.string(), title: z.string(), body: z.string(), updatedAt: z.string() });
type CannedView = z.infer<typeof cannedSchema>;

const listQuery = z.object({ q: z.string().trim().max(200).optional().describe('Prefijo del atajo, o texto del título o del cuerpo (sin distinguir acentos) / shortcut prefix, or title or body text') });

function toView(row: Selectable<CannedResponsesTable>): CannedView {
  return { id: row.id, campaignId: row.campaign_id, shortcut: row.shortcut, title: row.title, body: row.body, updatedAt: row.updated_at.toISOString() };
}

/** Only the variables the UI knows how to fill (inbox/canned-variables.ts). */
function parseCanned(body: unknown): CannedInput {
  const input = parseBody(cannedBody, body);
  const { unknown, unclosed } = cannedVariablesIn(input.body);
  const allowed = CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ');
  if (unknown.length > 0) {
    const names = unknown.map((v) => `{{${v}}}`).join(', ');
    throw new HubError('HUB_ERR_CANNED_VARIABLE_UNKNOWN', bilingual(`Variable desconocida: ${names}; use ${allowed}`, `unknown variable: ${names}; use ${allowed}`), { unknown, allowed: CANNED_VARIABLES });
  }
  if (unclosed) {
    throw new HubError('HUB_ERR_CANNED_VARIABLE_UNKNOWN', bilingual(`Hay llaves «{{ }}» sin cerrar; las variables se escriben así: ${allowed}`, `unbalanced "{{ }}" braces; variables are written like ${allowed}`), {
      unknown: [],
      allowed: CANNED_VARIABLES,
    });
  }
  return input;
}

function shortcutTaken(shortcut: string): HubError {
  return new HubError('HUB_ERR_CONFLICT', `Ya existe el atajo «${shortcut}» en la campaña / shortcut "${shortcut}" already exists in this campaign`);
}

async function findCanned(db: Db, id: string, lock = false): Promise<Selectable<CannedResponsesTable>> {
  const query = db.selectFrom('canned_responses').selectAll().where('id', '=', id);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CANNED_RESPONSE_NOT_FOUND');
  return row;
}

export function cannedResponsesRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['inbox-knowledge'];

    app.get(
      '/campaigns/:id/canned-responses',
      {
        schema: {
          tags,
          summary: 'Respuestas predefinidas de la campaña, con búsqueda / canned responses of a campaign, searchable',
          params: idParams,
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(cannedSchema) }) },
        },
      },
      async (request) => {
        const campaignId = request.params.id;
        authorize(principalOf(request), STAFF_ROLES, campaignId);
        await assertCampaignExists(db, campaignId);
        // The composer sends what follows the slash; a leading "/" is tolerated.
        const q = request.query.q?.replace(/^\//, '') ?? '';
        let query = db.selectFrom('canned_responses').selectAll().where('campaign_id', '=', campaignId);
        if (q !== '') {
          const prefix = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          const pattern = containsPattern(q);
          query = query
            .where((eb) =>
              eb.or([
                eb('shortcut', 'like', prefix),
                eb(sql<string>`kb_fold(title)`, 'like', sql<string>`kb_fold(${pattern})`),
                eb(sql<string>`kb_fold(body)`, 'like', sql<string>`kb_fold(${pattern})`),
              ]),
            )
            .orderBy(sql`shortcut LIKE ${prefix}`, 'desc');
        }
        const rows = await query.orderBy('shortcut').limit(500).execute();
        return { items: rows.map(toView) };
      },
    );

    app.post(
      '/campaigns/:id/canned-responses',
      {
        schema: {
          tags,
          summary: 'Crear respuesta predefinida (admin o supervisor de la campaña) / create a canned response',
          params: idParams,
          body: documented(cannedBody),
          response: { 201: cannedSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const campaignId = request.params.id;
        authorize(principal, ADMIN_OR_SUPERVISOR, campaignId);
        const input = parseCanned(request.body);
        await assertCampaignExists(db, campaignId);
        const created = await db
          .transaction()
          .execute(async (trx) => {
            const row = await trx
              .insertInto('canned_responses')
              .values({ campaign_id: campaignId, shortcut: input.shortcut, title: input.title, body: input.body, created_by: principal.userId })
              .returningAll()
              .executeTakeFirstOrThrow();
            await auditChange(trx, request, principal, { action: 'canned_response.created', campaignId, targetType: 'canned_response', targetId: row.id, details: { after: input } });
            return row;
          })
          .catch((error: unknown) => {
            throw isUniqueViolation(error, 'canned_responses_shortcut_key') ? shortcutTaken(input.shortcut) : error;
          });
        return reply.status(201).send(toView(created));
      },
    );

    app.put(
      '/canned-responses/:id',
      { schema: { tags, summary: 'Reemplazar una respuesta predefinida / replace a canned response', params: idParams, body: documented(cannedBody), response: { 200: cannedSchema } } },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN_OR_SUPERVISOR);
        const input = parseCanned(request.body);
        const updated = await db
          .transaction()
          .execute(async (trx) => {
            const before = await findCanned(trx, request.params.id, true);
            authorize(principal, ADMIN_OR_SUPERVISOR, before.campaign_id);
            const row = await trx
              .updateTable('canned_responses')
              .set({ shortcut: input.shortcut, title: input.title, body: input.body, updated_at: sql`now()` })
              .where('id', '=', before.id)
              .returningAll()
              .executeTakeFirstOrThrow();
            const details = { before: { shortcut: before.shortcut, title: before.title, body: before.body }, after: input };
            await auditChange(trx, request, principal, { action: 'canned_response.updated', campaignId: before.campaign_id, targetType: 'canned_response', targetId: before.id, details });
            return row;
          })
          .catch((error: unknown) => {
            throw isUniqueViolation(error, 'canned_responses_shortcut_key') ? shortcutTaken(input.shortcut) : error;
          });
        return toView(updated);
      },
    );

    app.delete(
      '/canned-responses/:id',
      { schema: { tags, summary: 'Borrar una respuesta predefinida / delete a canned response', params: idParams, response: { 204: noContent } } },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, ADMIN_OR_SUPERVISOR);
        await db.transaction().execute(async (trx) => {
          const before = await findCanned(trx, request.params.id, true);
          authorize(principal, ADMIN_OR_SUPERVISOR, before.campaign_id);
          await trx.deleteFrom('canned_responses').where('id', '=', before.id).execute();
          const details = { before: { shortcut: before.shortcut, title: before.title, body: before.body } };
          await auditChange(trx, request, principal, { action: 'canned_response.deleted', campaignId: before.campaign_id, targetType: 'canned_response', targetId: before.id, details });
        });
        return reply.status(204).send(null);
      },
    );
  };
}
