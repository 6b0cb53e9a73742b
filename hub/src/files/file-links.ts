import type { StoredFile } from '../db/schema.js';
import type { FileView } from '../realtime/events.contract.js';
import { isPreviewable } from './file-types.js';
import { signFileToken } from './file-token.js';

/** Relative path of a file's download route (the REST API's own prefix). */
export function filePath(fileId: string): string {
  return `/api/v1/files/${fileId}`;
}

/** What the inbox shows for a file: the bearer URL and a 10-minute token URL for <img src>. */
export function toFileView(row: StoredFile, links: { secret: string; userId: string }): FileView {
  const token = signFileToken(links.secret, { fileId: row.id, purpose: 'preview', userId: links.userId });
  const inline = isPreviewable(row.mime_type) ? 'inline=1&' : '';
  return {
    id: row.id,
    conversationId: row.conversation_id ?? '',
    filename: row.filename,
    mimeType: row.mime_type,
    size: row.size,
    url: filePath(row.id),
    previewUrl: `${filePath(row.id)}?${inline}token=${token}`,
  };
}

/** Absolute URL the channel provider fetches an agent's attachment from (token valid 7 days). */
export function channelFileUrl(secret: string, baseUrl: string, fileId: string): string {
  const token = signFileToken(secret, { fileId, purpose: 'channel' });
  return `${baseUrl.replace(/\/+$/, '')}${filePath(fileId)}?token=${token}`;
}
