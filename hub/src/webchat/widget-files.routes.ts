import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StoredFile } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { fileResponseHeaders } from '../files/file-response.js';
import { messageContentType } from '../files/file-types.js';
import type { HubContext } from '../runtime/context.js';
import { assertCanWrite, sendVisitorMessage } from './send-visitor-message.usecase.js';
import { uploadVisitorFile } from './upload-visitor-file.usecase.js';
import { authenticateVisitor, type Visitor } from './visitor-auth.js';
import { visitorContactId } from './visitor-conversation.js';
import { RequestSlot, type WidgetServices } from './widget-services.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A file part the multipart parser cut at the size limit, in the words of the upload code. */
function tooLarge(maxBytes: number): HubError {
  const mib = `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MiB`;
  return new HubError('HUB_ERR_FILE_TOO_LARGE', `El archivo excede el máximo de ${mib} / the file is larger than ${mib}`, { maxBytes });
}

/** POST /widget/v1/files (a visitor's attachment) and GET /widget/v1/files/:fileId (their own files only). */
export function widgetFileRoutes(ctx: HubContext, services: WidgetServices): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const visitorOf = new RequestSlot<Visitor>();
    app.addHook('onRequest', async (request, reply) => {
      visitorOf.set(request, await authenticateVisitor(ctx, services.origins, request, reply));
    });
    // Scoped to this plugin; each upload narrows fileSize to its channel's limit.
    await app.register(fastifyMultipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 4, parts: 5, fieldSize: 200, headerPairs: 50 } });

    app.post(
      '/files',
      {
        schema: {
          tags: ['widget'],
          summary: 'Archivo del visitante (multipart: `file` y `clientMessageId`) / visitor attachment',
          response: { 202: z.object({ accepted: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        const visitor = visitorOf.get(request);
        await services.limiter.hit(services.limits.messagesPerVisitor, visitor.visitorId);
        await services.limiter.hit(services.limits.messagesPerIp, request.ip);
        const { attachments } = visitor.channel.settings;
        if (!attachments.enabled) throw new HubError('HUB_ERR_WIDGET_ATTACHMENTS_DISABLED');
        if (!request.isMultipart()) throw new HubError('HUB_ERR_UNSUPPORTED_MEDIA_TYPE', 'Envíe el archivo como multipart/form-data / send the file as multipart/form-data');
        await assertCanWrite(ctx, visitor);

        let stored: StoredFile | null = null;
        let clientMessageId: string | null = null;
        try {
          // The form field may come before or after the file: read every part.
          for await (const part of request.parts({ limits: { fileSize: attachments.maxBytes } })) {
            if (part.type === 'field') {
              if (part.fieldname === 'clientMessageId' && typeof part.value === 'string') clientMessageId = part.value.trim();
              continue;
            }
            if (part.fieldname !== 'file' || stored) {
              part.file.resume();
              continue;
            }
            stored = await uploadVisitorFile(ctx, services.store, visitor, { filename: part.filename, mimetype: part.mimetype, stream: part.file }).catch((error: unknown) => {
              part.file.resume();
              throw error;
            });
          }
        } catch (error) {
          if (stored) await removeFile(ctx, services, stored);
          if (error instanceof HubError) throw error;
          if (error instanceof Error && 'code' in error && error.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(attachments.maxBytes);
          // busboy's parse errors (a cut or malformed multipart body) carry no status: the client's fault (400), not a 500.
          if (error instanceof Error && !('statusCode' in error) && /multipart/i.test(error.message)) {
            throw new HubError('HUB_ERR_MALFORMED_BODY', 'Cuerpo multipart inválido o incompleto / malformed or truncated multipart body');
          }
          throw error;
        }
        if (!stored) throw new HubError('HUB_ERR_FILE_MISSING');
        if (!clientMessageId || !UUID.test(clientMessageId)) {
          await removeFile(ctx, services, stored);
          throw new HubError('HUB_ERR_VALIDATION', 'Falta clientMessageId (UUID) / clientMessageId (a UUID) is required', [{ path: 'clientMessageId', message: 'uuid' }]);
        }
        const file = stored;
        await sendVisitorMessage(ctx, visitor, {
          clientMessageId: clientMessageId.toLowerCase(),
          content: {
            type: messageContentType(file.mime_type),
            attachments: [{ fileId: file.id, filename: file.filename, mimeType: file.mime_type, size: file.size }],
          },
          requestId: request.id,
        }).catch(async (error: unknown) => {
          await removeFile(ctx, services, file);
          throw error;
        });
        request.log.info({ fileId: stored.id, visitorId: visitor.visitorId, size: stored.size, mimeType: stored.mime_type }, 'widget file received');
        return reply.status(202).send({ accepted: true as const });
      },
    );

    app.get(
      '/files/:fileId',
      { schema: { tags: ['widget'], summary: 'Descargar un archivo de la conversación / download a file of the conversation', params: z.object({ fileId: z.uuid() }) } },
      async (request, reply) => {
        const visitor = visitorOf.get(request);
        const contactId = await visitorContactId(db, visitor.channel.row.id, visitor.visitorId);
        // Only files of this visitor's own conversations on this channel; anything else does not exist.
        const file = contactId
          ? await db
              .selectFrom('files as f')
              .innerJoin('conversations as c', 'c.id', 'f.conversation_id')
              .selectAll('f')
              .where('f.id', '=', request.params.fileId)
              .where('c.channel_id', '=', visitor.channel.row.id)
              .where('c.contact_id', '=', contactId)
              .executeTakeFirst()
          : undefined;
        if (!file) throw new HubError('HUB_ERR_FILE_NOT_FOUND');
        const stream = await services.store.open(file.storage_key);
        if (!stream) {
          request.log.error({ fileId: file.id, key: file.storage_key }, 'file row without bytes on disk');
          throw new HubError('HUB_ERR_FILE_NOT_FOUND');
        }
        return fileResponseHeaders(reply, { filename: file.filename, mimeType: file.mime_type, size: file.size })
          .header('cache-control', 'private, no-store')
          .send(stream);
      },
    );
  };
}

/** An upload whose message could not be sent is not kept (no row, no bytes). */
async function removeFile(ctx: HubContext, services: WidgetServices, file: StoredFile): Promise<void> {
  await ctx.db.kysely.deleteFrom('files').where('id', '=', file.id).where('conversation_id', 'is', null).execute();
  await services.store.remove(file.storage_key);
}
