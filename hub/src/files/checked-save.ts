import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { HubError } from '../errors/error-registry.js';
import type { FileStore, SavedBytes } from './file-store.js';
import { contentMatches, type AllowedMimeType } from './file-types.js';

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

export interface CheckedFile extends SavedBytes {
  id: string;
  key: string;
}

/**
 * Streams an upload (an agent's or a widget visitor's) into the store under a new id, refusing it
 * — and keeping nothing — when the multipart parser cut it or it exceeds `maxBytes`
 * (HUB_ERR_FILE_TOO_LARGE), or when its first bytes are not what `mimeType` claims
 * (HUB_ERR_FILE_TYPE_NOT_ALLOWED). The caller writes the row and removes `key` if that fails.
 */
export async function saveCheckedFile(
  store: FileStore,
  stream: Readable & { truncated?: boolean },
  check: { mimeType: AllowedMimeType; filename: string; maxBytes: number },
): Promise<CheckedFile> {
  const id = randomUUID();
  const key = store.keyFor(id, new Date());
  const saved = await store.save(key, stream, (bytes) => {
    if (stream.truncated || bytes.size > check.maxBytes) {
      throw new HubError('HUB_ERR_FILE_TOO_LARGE', `El archivo excede el máximo de ${mib(check.maxBytes)} / the file is larger than ${mib(check.maxBytes)}`, { maxBytes: check.maxBytes });
    }
    if (!contentMatches(check.mimeType, bytes.head)) {
      throw new HubError(
        'HUB_ERR_FILE_TYPE_NOT_ALLOWED',
        `El contenido del archivo no corresponde a su tipo (${check.mimeType}) / the file content does not match its type (${check.mimeType})`,
        { mimeType: check.mimeType, filename: check.filename },
      );
    }
  });
  return { ...saved, id, key };
}
