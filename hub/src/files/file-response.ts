import type { FastifyReply } from 'fastify';
import { contentDisposition } from './file-names.js';
import { isPreviewable, servedContentType } from './file-types.js';

/**
 * A stored file's bytes come from a citizen or an agent: whatever they are, the browser must
 * neither run them nor read them as a page of ours. A sandboxed document has a unique origin
 * (no cookies, storage or same-origin requests) and `default-src 'none'` loads nothing.
 * Chromium still opens an inline PDF in its viewer under this policy (checked with Chromium 156).
 */
export const FILE_CSP = "default-src 'none'; sandbox";

export interface ServedFile {
  filename: string;
  mimeType: string;
  size: number;
}

/**
 * The headers every route that sends a stored file uses (files, widget, case documents): a safe
 * Content-Type, `attachment` unless an inline preview of a raster image or PDF was asked for,
 * nosniff and the sandboxing policy. The caller adds caching and sends the stream.
 */
export function fileResponseHeaders(reply: FastifyReply, file: ServedFile, wantInline = false): FastifyReply {
  const type = servedContentType(file.mimeType);
  const inline = wantInline && isPreviewable(type);
  return reply
    .header('content-type', type)
    .header('content-length', String(file.size))
    .header('content-disposition', contentDisposition(file.filename, inline ? 'inline' : 'attachment'))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', FILE_CSP);
}
