import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Channel, Database } from '../db/schema.js';
import { sanitizeFilename } from '../files/file-names.js';
import type { FileStore } from '../files/file-store.js';
import { contentMatches, resolveMimeType, sniffMimeType } from '../files/file-types.js';
import { stableFileId } from '../files/stable-file-id.js';

export interface EmailPart {
  filename: string;
  mimeType: string;
  content: Buffer;
}

export interface StoredEmailFile {
  fileId: string;
  filename: string;
  mimeType: string;
  size: number;
}

/** Bytes the type check looks at (as for agent uploads). */
const HEAD_BYTES = 8192;

/**
 * The type an inbound attachment is stored with: an allowed type whose bytes match it, else the
 * allowed type the bytes themselves announce (phones and mail clients mislabel media), else
 * application/octet-stream under the name the citizen gave — nothing they sent is dropped, but
 * what we cannot vouch for (HTML, SVG, a polyglot) is only ever offered as a download.
 */
export function inboundFileType(part: Pick<EmailPart, 'filename' | 'mimeType' | 'content'>): { filename: string; mimeType: string } {
  const filename = sanitizeFilename(part.filename);
  const head = part.content.subarray(0, HEAD_BYTES);
  const allowed = resolveMimeType(part.mimeType, filename);
  const mimeType = allowed && contentMatches(allowed, head) ? allowed : (sniffMimeType(head) ?? 'application/octet-stream');
  return { filename, mimeType };
}

/**
 * Stores a mail's files before its message exists: no conversation yet (ingest links them by
 * id), the channel and its campaign set so only this channel's ingest can claim them.
 */
export async function storeEmailFiles(
  deps: { db: Kysely<Database>; store: FileStore },
  channel: Pick<Channel, 'id' | 'campaign_id'>,
  mailKey: string,
  parts: ReadonlyArray<{ part: string; source: 'contact' | 'system'; file: EmailPart; typed?: boolean }>,
): Promise<StoredEmailFile[]> {
  const ids = parts.map((p) => stableFileId(channel.id, mailKey, p.part));
  const existing = ids.length
    ? await deps.db.selectFrom('files').select(['id', 'filename', 'mime_type', 'size']).where('id', 'in', ids).execute()
    : [];
  const known = new Map(existing.map((row) => [row.id, row]));
  const stored: StoredEmailFile[] = [];
  for (const [i, p] of parts.entries()) {
    const id = ids[i]!;
    const found = known.get(id);
    if (found) {
      stored.push({ fileId: id, filename: found.filename, mimeType: found.mime_type, size: found.size });
      continue;
    }
    const { filename, mimeType } = p.typed ? { filename: sanitizeFilename(p.file.filename), mimeType: p.file.mimeType } : inboundFileType(p.file);
    const key = deps.store.keyFor(id, new Date());
    const saved = await deps.store.save(key, Readable.from([p.file.content]), () => undefined);
    try {
      await deps.db
        .insertInto('files')
        .values({
          id,
          conversation_id: null,
          channel_id: channel.id,
          source: p.source,
          campaign_id: channel.campaign_id,
          filename,
          mime_type: mimeType,
          size: saved.size,
          sha256: saved.sha256,
          storage_key: key,
          uploaded_by: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    } catch (error) {
      await deps.store.remove(key);
      throw error;
    }
    stored.push({ fileId: id, filename, mimeType, size: saved.size });
  }
  return stored;
}
