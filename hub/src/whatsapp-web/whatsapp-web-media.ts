import type { WhatsAppWebOutbound, WwebjsMediaLike } from '@ventanilla/connectors';
import type { FileStore } from '../files/file-store.js';
import type { HubContext } from '../runtime/context.js';

type OutboundMedia = NonNullable<WhatsAppWebOutbound['media']>;

/**
 * The bytes of a file an agent sends, as the library's MessageMedia wants them (base64): read
 * from the hub's own store when the attachment is a stored file, else fetched from its URL.
 * Null when the file is gone or larger than FILE_MAX_BYTES.
 */
export async function loadOutboundMedia(ctx: HubContext, files: FileStore, media: OutboundMedia): Promise<WwebjsMediaLike | null> {
  const limit = ctx.config.FILE_MAX_BYTES;
  if (media.fileId) {
    const row = await ctx.db.kysely.selectFrom('files').select(['filename', 'mime_type', 'storage_key', 'size']).where('id', '=', media.fileId).executeTakeFirst();
    if (!row || row.size > limit) return null;
    const stream = await files.open(row.storage_key);
    if (!stream) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return { mimetype: row.mime_type, data: Buffer.concat(chunks).toString('base64'), filename: media.filename ?? row.filename };
  }
  if (!media.url) return null;
  const response = await fetch(media.url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) return null;
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > limit) return null;
  const mimetype = media.mimetype ?? response.headers.get('content-type') ?? 'application/octet-stream';
  return { mimetype, data: bytes.toString('base64'), ...(media.filename ? { filename: media.filename } : {}) };
}
