import type { Kysely } from 'kysely';
import type { InboundMessageEvent, SendContext } from '@ventanilla/connectors/core';
import type { LoadedChannel } from '../channels/channel-store.js';
import type { Database } from '../db/schema.js';
import { storeEmailFiles } from '../email/store-email-files.js';
import type { FileStore } from '../files/file-store.js';
import { stableFileId } from '../files/stable-file-id.js';

export interface InboundMediaDeps {
  db: Kysely<Database>;
  store: FileStore;
  fetch: typeof fetch;
  /** INBOUND_MEDIA_MAX_BYTES: larger media is not downloaded (the attachment says so). */
  maxBytes: number;
  /** Live provider sessions of this process (whatsapp-web.js fetches media through its session). */
  sessions?: SendContext['sessions'];
}

/** Shown to the agent in place of media the provider offered but we would not download. */
export const MEDIA_TOO_LARGE_CAPTION = '(archivo demasiado grande: no se descargó)';

type Attachment = Extract<InboundMessageEvent['content'], { attachments: unknown }>['attachments'][number];

/**
 * Media the provider only gives by reference (a WhatsApp media id, a Twilio MediaUrl) is fetched
 * with the adapter's `fetchMedia` and stored before the message is, so ingest links it by
 * `fileId` like an e-mail's parts. The file id is derived from channel + provider message id +
 * attachment index: a retried job finds what an earlier attempt stored and downloads nothing
 * again. Too large → kept without a file and captioned; a thrown error fails the job, which
 * BullMQ retries with backoff (provider media URLs outlive the retries).
 */
export async function resolveInboundMedia(deps: InboundMediaDeps, channel: Pick<LoadedChannel, 'row' | 'adapter' | 'settings' | 'secrets'>, event: InboundMessageEvent): Promise<InboundMessageEvent> {
  const content = event.content;
  if (!('attachments' in content) || !content.attachments.some((a) => a.mediaRef && !a.fileId)) return event;
  const fetchMedia = channel.adapter.fetchMedia?.bind(channel.adapter);
  if (!fetchMedia) return event;
  const context: SendContext & { maxBytes: number } = {
    fetch: deps.fetch,
    maxBytes: deps.maxBytes,
    channelId: channel.row.id,
    ...(deps.sessions ? { sessions: deps.sessions } : {}),
  };
  const attachments: Attachment[] = [];
  for (const [index, attachment] of content.attachments.entries()) {
    if (!attachment.mediaRef || attachment.fileId) {
      attachments.push(attachment);
      continue;
    }
    const part = `media-${index}`;
    const id = stableFileId(channel.row.id, event.providerMessageId, part);
    const existing = await deps.db.selectFrom('files').select(['filename', 'mime_type', 'size']).where('id', '=', id).executeTakeFirst();
    if (existing) {
      attachments.push({ ...attachment, fileId: id, filename: existing.filename, mimeType: existing.mime_type, size: existing.size });
      continue;
    }
    const fetched = await fetchMedia(attachment.mediaRef, channel.settings, channel.secrets, context);
    // An adapter that ignored maxBytes must not get past it either.
    if (!fetched || fetched.content.length > deps.maxBytes) {
      attachments.push({ ...attachment, caption: MEDIA_TOO_LARGE_CAPTION });
      continue;
    }
    const filename = fetched.filename ?? attachment.filename ?? `${part}${extensionOf(fetched.mimeType)}`;
    const [stored] = await storeEmailFiles(deps, channel.row, event.providerMessageId, [
      { part, source: 'contact', file: { filename, mimeType: fetched.mimeType, content: fetched.content } },
    ]);
    if (!stored) throw new Error(`inbound media ${part} of ${event.providerMessageId} was not stored`);
    attachments.push({ ...attachment, fileId: stored.fileId, filename: stored.filename, mimeType: stored.mimeType, size: stored.size });
  }
  return { ...event, content: { ...content, attachments } };
}

/** A name for media the provider sent without one (WhatsApp images and voice notes). */
function extensionOf(mimeType: string): string {
  const known: Record<string, string> = {
    'image/jpeg': '.jpg',
    'image/png': '.png',
    'image/webp': '.webp',
    'audio/ogg': '.ogg',
    'audio/mpeg': '.mp3',
    'audio/mp4': '.m4a',
    'video/mp4': '.mp4',
    'application/pdf': '.pdf',
  };
  return known[mimeType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? '';
}
