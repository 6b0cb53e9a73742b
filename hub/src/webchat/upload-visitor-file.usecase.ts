import type { Readable } from 'node:stream';
import type { StoredFile } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import { sanitizeFilename } from '../files/file-names.js';
import type { FileStore } from '../files/file-store.js';
import { saveCheckedFile } from '../files/checked-save.js';
import { resolveMimeType } from '../files/file-types.js';
import type { HubContext } from '../runtime/context.js';
import type { Visitor } from './visitor-auth.js';

export interface VisitorIncomingFile {
  filename: string | undefined;
  mimetype: string | undefined;
  stream: Readable & { truncated?: boolean };
}

/**
 * A visitor's attachment, checked like an agent's (files/upload-file.usecase.ts) against the
 * channel's own list and size: the type must be one the hub can verify by content and one the
 * channel accepts, and the bytes must look like it. Stored without a conversation (ingest links
 * it when the message that carries it is stored); a rejected file leaves nothing behind.
 */
export async function uploadVisitorFile(ctx: HubContext, store: FileStore, visitor: Visitor, incoming: VisitorIncomingFile): Promise<StoredFile> {
  const { attachments } = visitor.channel.settings;
  if (!attachments.enabled) throw new HubError('HUB_ERR_WIDGET_ATTACHMENTS_DISABLED');
  const filename = sanitizeFilename(incoming.filename);
  const mimeType = resolveMimeType(incoming.mimetype, filename);
  if (!mimeType || !attachments.accept.includes(mimeType)) {
    throw new HubError(
      'HUB_ERR_FILE_TYPE_NOT_ALLOWED',
      `Tipo de archivo no permitido en este chat; se aceptan: ${attachments.accept.join(', ')} / file type not allowed in this chat; accepted: ${attachments.accept.join(', ')}`,
      { mimeType: incoming.mimetype ?? null, filename, accept: attachments.accept },
    );
  }
  const { id, key, ...saved } = await saveCheckedFile(store, incoming.stream, { mimeType, filename, maxBytes: attachments.maxBytes });
  try {
    return await ctx.db.kysely
      .insertInto('files')
      .values({
        id,
        conversation_id: null,
        channel_id: visitor.channel.row.id,
        source: 'contact',
        campaign_id: visitor.channel.row.campaign_id,
        filename,
        mime_type: mimeType,
        size: saved.size,
        sha256: saved.sha256,
        storage_key: key,
        uploaded_by: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    await store.remove(key);
    throw error;
  }
}
