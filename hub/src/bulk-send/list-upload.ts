import type { FastifyInstance } from 'fastify';
import { HubError } from '../errors/error-registry.js';
import { bilingual } from '../router/config/routing-problem.js';

/** Media types a browser or a script gives a list file (Excel on Windows says vnd.ms-excel for .csv). */
export const LIST_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream'];

/**
 * Lists are UTF-8, or Windows-1252 when Excel saved them as plain "CSV" on a Spanish Windows:
 * bytes that are not valid UTF-8 are read as Windows-1252 so «Peña» survives either way.
 */
export function decodeList(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Lists arrive as the file's bytes, far above the JSON body limit; call it only in the upload routes' scope. */
export function acceptListFiles(app: Pick<FastifyInstance, 'removeContentTypeParser' | 'addContentTypeParser'>, maxBytes: number): void {
  app.removeContentTypeParser(['text/plain']);
  app.addContentTypeParser(LIST_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));
}

/** The uploaded file's bytes, or a 415 naming the types a list is sent as. */
export function listFileBytes(body: unknown): Buffer {
  if (!Buffer.isBuffer(body)) throw new HubError('HUB_ERR_UNSUPPORTED_MEDIA_TYPE', bilingual(`envíe el archivo como ${LIST_TYPES.slice(0, 3).join(', ')}`, `send the file as ${LIST_TYPES.slice(0, 3).join(', ')}`));
  return body;
}

/**
 * The route options of a list upload (POST …/recipients): the file's bytes up to `maxBytes`, in
 * one of LIST_TYPES; each feature brings its own summary, params, query and report schemas.
 */
export function listUploadRoute<P, Q, R>(maxBytes: number, schema: { tags: string[]; summary: string; params: P; querystring: Q; report: R }) {
  const { report, ...rest } = schema;
  return { bodyLimit: maxBytes, schema: { ...rest, consumes: LIST_TYPES, response: { 200: report } } };
}
