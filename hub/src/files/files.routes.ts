import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticateToken, loadPrincipal } from '../auth/load-principal.js';
import { authorize, assertCampaign, hasRole, STAFF_ROLES } from '../auth/principal.js';
import { maySeeSampledConversation } from '../quality/quality-access.js';
import { HubError } from '../errors/error-registry.js';
import { bearerToken, principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { fileViewSchema } from './file.schema.js';
import { toFileView } from './file-links.js';
import { fileResponseHeaders } from './file-response.js';
import { FileStore } from './file-store.js';
import { verifyFileToken } from './file-token.js';
import { uploadFile } from './upload-file.usecase.js';

const idParams = z.object({ id: z.uuid() });

/** POST /conversations/:id/files — registered in the authenticated /api/v1 scope. */
export function fileUploadRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const store = new FileStore(ctx.config.DATA_DIR);
    const maxBytes = ctx.config.FILE_MAX_BYTES;
    // Scoped to this plugin: no other route accepts multipart bodies.
    await app.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 11, fieldSize: 4096, headerPairs: 100 } });

    app.post(
      '/conversations/:id/files',
      {
        schema: {
          tags: ['files'],
          summary: 'Adjuntar un archivo a la conversación / upload a file to a conversation',
          description:
            'multipart/form-data con una parte `file` / one part named `file`. Tipos: JPEG, PNG, GIF, WebP, PDF, texto, CSV, OGG, MP3, M4A, MP4, DOCX, XLSX; tamaño máximo FILE_MAX_BYTES (413), otros tipos 415.',
          params: idParams,
          response: { 201: z.object({ file: fileViewSchema }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!request.isMultipart()) {
          throw new HubError('HUB_ERR_UNSUPPORTED_MEDIA_TYPE', 'Envíe el archivo como multipart/form-data / send the file as multipart/form-data');
        }
        const part = await request.file();
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          throw new HubError('HUB_ERR_FILE_MISSING');
        }
        const row = await uploadFile({ db: ctx.db.kysely, store, maxBytes }, principal, request.params.id, {
          filename: part.filename,
          mimetype: part.mimetype,
          stream: part.file,
        }).catch((error: unknown) => {
          // Refused before reading (role, campaign, type): drain the part so the request ends.
          part.file.resume();
          throw error;
        });
        request.log.info({ fileId: row.id, conversationId: row.conversation_id, size: row.size, mimeType: row.mime_type }, 'file uploaded');
        return reply.status(201).send({ file: toFileView(row, { secret: ctx.config.JWT_SECRET, userId: principal.userId }) });
      },
    );
  };
}

/**
 * GET /files/:id — outside the bearer-only scope: an <img src> and a channel provider cannot
 * send headers, so a signed `?token=` (file-token.ts) is accepted instead of the bearer header.
 */
export function fileDownloadRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const store = new FileStore(ctx.config.DATA_DIR);
    const db = ctx.db.kysely;
    const secret = ctx.config.JWT_SECRET;

    app.get(
      '/files/:id',
      {
        schema: {
          tags: ['files'],
          summary: 'Descargar un archivo / download a file (bearer header, or ?token= from previewUrl or a reply attachment)',
          description:
            'Content-Disposition: attachment con el nombre original; `inline=1` muestra imágenes y PDF en el navegador / shows images and PDF inline.',
          params: idParams,
          querystring: z.object({ token: z.string().max(300).optional(), inline: z.enum(['1', 'true', '0', 'false']).optional() }),
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const { token, inline } = request.query;
        let check: (campaignId: string, conversationId: string | null) => Promise<void>;
        if (token !== undefined) {
          const claims = verifyFileToken(secret, id, token);
          if (!claims) throw new HubError('HUB_ERR_AUTH_TOKEN_INVALID', 'Enlace inválido o vencido / invalid or expired link');
          const userId = claims.userId;
          // A preview link is the user's own: it stops working when they leave the campaign.
          check = async (campaignId) => {
            if (userId) assertCampaign(await loadPrincipal(db, userId), campaignId);
          };
        } else {
          const principal = await authenticateToken(db, secret, bearerToken(request));
          // Staff of the campaign; a quality analyst only the files of a conversation a sample gave them.
          check = async (campaignId, conversationId) => {
            if (!hasRole(principal, STAFF_ROLES) && conversationId !== null && (await maySeeSampledConversation(db, principal, conversationId))) return;
            authorize(principal, STAFF_ROLES, campaignId);
          };
        }
        const file = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
        if (!file) throw new HubError('HUB_ERR_FILE_NOT_FOUND');
        await check(file.campaign_id, file.conversation_id);
        const stream = await store.open(file.storage_key);
        if (!stream) {
          request.log.error({ fileId: file.id, key: file.storage_key }, 'file row without bytes on disk');
          throw new HubError('HUB_ERR_FILE_NOT_FOUND');
        }
        return fileResponseHeaders(reply, { filename: file.filename, mimeType: file.mime_type, size: file.size }, inline === '1' || inline === 'true')
          .header('cache-control', 'private, max-age=300')
          .header('etag', `"${file.sha256}"`)
          .send(stream);
      },
    );
  };
}
