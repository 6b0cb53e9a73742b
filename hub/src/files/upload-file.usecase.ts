import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { authorize, HANDLING_ROLES, type Principal } from '../auth/principal.js';
import type { Database, StoredFile } from '../db/schema.js';
import { appendEvents } from '../domain/interaction-events.js';
import { HubError } from '../errors/error-registry.js';
import { sanitizeFilename } from './file-names.js';
import type { FileStore } from './file-store.js';
import { saveCheckedFile } from './checked-save.js';
import { resolveMimeType } from './file-types.js';

export interface IncomingFile {
  filename: string | undefined;
  /** The part's Content-Type as the client sent it (a claim, checked against the bytes). */
  mimetype: string | undefined;
  /** The part's bytes; `truncated` is set by the multipart parser once the size limit cut it. */
  stream: Readable & { truncated?: boolean };
}

/**
 * Stores a file an agent attaches to a conversation: role and campaign first, then the type
 * (declared, else by extension) and the bytes (size limit, content check), then the row and a
 * file.uploaded event. A rejected upload leaves neither bytes nor row.
 */
export async function uploadFile(
  deps: { db: Kysely<Database>; store: FileStore; maxBytes: number },
  principal: Principal,
  conversationId: string,
  incoming: IncomingFile,
): Promise<StoredFile> {
  const conversation = await deps.db.selectFrom('conversations').select(['id', 'campaign_id']).where('id', '=', conversationId).executeTakeFirst();
  if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  authorize(principal, HANDLING_ROLES, conversation.campaign_id);

  const filename = sanitizeFilename(incoming.filename);
  const mimeType = resolveMimeType(incoming.mimetype, filename);
  if (!mimeType) {
    throw new HubError('HUB_ERR_FILE_TYPE_NOT_ALLOWED', undefined, { mimeType: incoming.mimetype ?? null, filename });
  }

  const { id, key, ...saved } = await saveCheckedFile(deps.store, incoming.stream, { mimeType, filename, maxBytes: deps.maxBytes });

  try {
    return await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('files')
        .values({
          id,
          conversation_id: conversation.id,
          campaign_id: conversation.campaign_id,
          filename,
          mime_type: mimeType,
          size: saved.size,
          sha256: saved.sha256,
          storage_key: key,
          uploaded_by: principal.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendEvents(trx, { campaignId: conversation.campaign_id, actorType: 'agent', actorId: principal.userId }, [
        { type: 'file.uploaded', conversationId: conversation.id, payload: { fileId: id, mimeType, size: saved.size } },
      ]);
      return row;
    });
  } catch (error) {
    await deps.store.remove(key);
    throw error;
  }
}
