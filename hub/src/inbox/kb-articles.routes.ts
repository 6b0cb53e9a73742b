import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { authorize, hasRole, STAFF_ROLES, type Principal } from '../auth/principal.js';
import type { KbArticlesTable } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import { bilingual } from '../router/config/routing-problem.js';
import type { HubContext } from '../runtime/context.js';
import { assertCampaignExists, auditChange, documented, idParams, KB_EDITORS, noContent, parseBody, type Db } from './inbox-http.js';
import { searchKbArticles } from './kb-search.js';

/**
 * Knowledge-base articles per campaign (seed-digest §4.4), written by admins, supervisors and the
 * bot trainer; agents see published ones only. Drafts are the "non-production first" step of
 * the release process (L5581).
 */

const fields = {
  title: z.string().trim().min(1, bilingual('el título es obligatorio', 'title is required')).max(200, bilingual('el título admite hasta 200 caracteres', 'title is at most 200 characters')),
  body: z.string().trim().min(1, bilingual('el texto es obligatorio', 'body is required')).max(20_000, bilingual('el texto admite hasta 20 000 caracteres', 'body is at most 20,000 characters')),
  topic: z.string().trim().min(1, bilingual('el tema es obligatorio', 'topic is required')).max(80, bilingual('el tema admite hasta 80 caracteres', 'topic is at most 80 characters')),
  tags: z
    .array(z.string().trim().min(1, bilingual('etiqueta vacía', 'empty tag')).max(40, bilingual('cada etiqueta admite hasta 40 caracteres', 'each tag is at most 40 characters')))
    .max(20, bilingual('máximo 20 etiquetas', 'at most 20 tags'))
    .transform((tags) => tags.filter((t, i) => tags.findIndex((o) => o.toLowerCase() === t.toLowerCase()) === i)),
  published: z.boolean(bilingual('«published» debe ser verdadero o falso', 'published must be true or false')),
};
const createBody = z.object({ ...fields, topic: fields.topic.default('General'), tags: fields.tags.default([]), published: fields.published.default(false) });
const updateBody = z
  .object({ title: fields.title.optional(), body: fields.body.optional(), topic: fields.topic.optional(), tags: fields.tags.optional(), published: fields.published.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), bilingual('indique al menos un campo', 'give at least one field'));

const articleSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  title: z.string(),
  body: z.string(),
  topic: z.string(),
  tags: z.array(z.string()),
  published: z.boolean(),
  updatedAt: z.string(),
});
type ArticleView = z.infer<typeof articleSchema>;
const hitSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  topic: z.string(),
  tags: z.array(z.string()),
  snippet: z.string().describe('Texto plano alrededor de lo encontrado, o el inicio del artículo / plain text around the match, or the article’s start'),
  published: z.boolean(),
  updatedAt: z.string(),
});
const listQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Palabras a buscar (español, sin distinguir acentos) / words to search (Spanish stemming, accent-insensitive)'),
  topic: z.string().trim().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

function toView(row: Omit<Selectable<KbArticlesTable>, 'search'>): ArticleView {
  return { id: row.id, campaignId: row.campaign_id, title: row.title, body: row.body, topic: row.topic, tags: row.tags, published: row.published, updatedAt: row.updated_at.toISOString() };
}

const COLUMNS = ['id', 'campaign_id', 'title', 'body', 'topic', 'tags', 'published', 'created_by', 'created_at', 'updated_at'] as const;

async function findArticle(db: Db, id: string, lock = false) {
  const query = db.selectFrom('kb_articles').select(COLUMNS).where('id', '=', id);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_KB_ARTICLE_NOT_FOUND');
  return row;
}

const seesDrafts = (principal: Principal) => hasRole(principal, KB_EDITORS);

export function kbArticlesRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const tags = ['inbox-knowledge'];

    app.get(
      '/campaigns/:id/kb-articles',
      {
        schema: {
          tags,
          summary: 'Buscar en la base de conocimiento de la campaña / search the campaign’s knowledge base',
          params: idParams,
          querystring: listQuery,
          response: { 200: z.object({ items: z.array(hitSchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const campaignId = request.params.id;
        authorize(principal, STAFF_ROLES, campaignId);
        await assertCampaignExists(db, campaignId);
        const { q, topic, limit } = request.query;
        return { items: await searchKbArticles(db, { campaignId, q, topic, limit, includeDrafts: seesDrafts(principal) }) };
      },
    );

    app.get('/kb-articles/:id', { schema: { tags, summary: 'Artículo completo / a full article', params: idParams, response: { 200: articleSchema } } }, async (request) => {
      const principal = principalOf(request);
      authorize(principal, STAFF_ROLES);
      const row = await findArticle(db, request.params.id);
      authorize(principal, STAFF_ROLES, row.campaign_id);
      // A draft does not exist for those who may not see drafts.
      if (!row.published && !seesDrafts(principal)) throw new HubError('HUB_ERR_KB_ARTICLE_NOT_FOUND');
      return toView(row);
    });

    app.post(
      '/campaigns/:id/kb-articles',
      {
        schema: {
          tags,
          summary: 'Crear artículo; borrador salvo published=true (admin, supervisor o entrenador) / create an article, a draft unless published',
          params: idParams,
          body: documented(createBody),
          response: { 201: articleSchema },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const campaignId = request.params.id;
        authorize(principal, KB_EDITORS, campaignId);
        const input = parseBody(createBody, request.body);
        await assertCampaignExists(db, campaignId);
        const created = await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('kb_articles')
            .values({ campaign_id: campaignId, ...input, created_by: principal.userId })
            .returning(COLUMNS)
            .executeTakeFirstOrThrow();
          const details = { after: { title: input.title, topic: input.topic, tags: input.tags, published: input.published, bodyLength: input.body.length } };
          await auditChange(trx, request, principal, { action: 'kb_article.created', campaignId, targetType: 'kb_article', targetId: row.id, details });
          return row;
        });
        return reply.status(201).send(toView(created));
      },
    );

    app.put(
      '/kb-articles/:id',
      {
        schema: {
          tags,
          summary: 'Modificar un artículo; solo los campos enviados / update an article; only the fields given',
          params: idParams,
          body: documented(updateBody),
          response: { 200: articleSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, KB_EDITORS);
        const input = parseBody(updateBody, request.body);
        const updated = await db.transaction().execute(async (trx) => {
          const before = await findArticle(trx, request.params.id, true);
          authorize(principal, KB_EDITORS, before.campaign_id);
          const row = await trx
            .updateTable('kb_articles')
            .set({
              ...(input.title !== undefined ? { title: input.title } : {}),
              ...(input.body !== undefined ? { body: input.body } : {}),
              ...(input.topic !== undefined ? { topic: input.topic } : {}),
              ...(input.tags !== undefined ? { tags: input.tags } : {}),
              ...(input.published !== undefined ? { published: input.published } : {}),
              updated_at: sql`now()`,
            })
            .where('id', '=', before.id)
            .returning(COLUMNS)
            .executeTakeFirstOrThrow();
          const summary = (r: typeof before) => ({ title: r.title, topic: r.topic, tags: r.tags, published: r.published, bodyLength: r.body.length });
          const details = { before: summary(before), after: summary(row), bodyChanged: before.body !== row.body };
          await auditChange(trx, request, principal, { action: 'kb_article.updated', campaignId: before.campaign_id, targetType: 'kb_article', targetId: before.id, details });
          return row;
        });
        return toView(updated);
      },
    );

    app.delete('/kb-articles/:id', { schema: { tags, summary: 'Borrar un artículo / delete an article', params: idParams, response: { 204: noContent } } }, async (request, reply) => {
      const principal = principalOf(request);
      authorize(principal, KB_EDITORS);
      await db.transaction().execute(async (trx) => {
        const before = await findArticle(trx, request.params.id, true);
        authorize(principal, KB_EDITORS, before.campaign_id);
        await trx.deleteFrom('kb_articles').where('id', '=', before.id).execute();
        const details = { before: { title: before.title, topic: before.topic, tags: before.tags, published: before.published, body: before.body } };
        await auditChange(trx, request, principal, { action: 'kb_article.deleted', campaignId: before.campaign_id, targetType: 'kb_article', targetId: before.id, details });
      });
      return reply.status(204).send(null);
    });
  };
}
