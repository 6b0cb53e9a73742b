import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Bytes read ahead for the type check (file-types.ts). */
const HEAD_BYTES = 8192;

export interface SavedBytes {
  size: number;
  sha256: string;
  /** The first bytes, for the content check. */
  head: Buffer;
}

/**
 * Files on local disk under `${DATA_DIR}/files/<yyyy>/<mm>/<uuid>`. Bytes go to a temporary
 * name first and are renamed into place only once complete and accepted, so a reader never sees
 * half a file and a rejected upload leaves nothing behind.
 */
export class FileStore {
  private readonly root: string;
  constructor(dataDir: string) {
    this.root = resolve(dataDir);
  }

  /** Storage key of a new file: relative to DATA_DIR, from the upload time (UTC) and the id. */
  keyFor(fileId: string, at: Date): string {
    return `files/${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${fileId}`;
  }

  private pathOf(key: string): string {
    const path = join(this.root, key);
    if (!path.startsWith(`${this.root}${sep}`)) throw new Error('storage key escapes DATA_DIR');
    return path;
  }

  /**
   * Streams `source` to `key`, hashing it on the way. `accept` sees size, hash and first bytes
   * before the file is put in place; when it throws (too large, wrong content) nothing is kept.
   */
  async save(key: string, source: Readable, accept: (saved: SavedBytes) => void): Promise<SavedBytes> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.part-${randomBytes(6).toString('hex')}`;
    const hash = createHash('sha256');
    const headChunks: Buffer[] = [];
    let headLength = 0;
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        if (headLength < HEAD_BYTES) {
          headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(temporary, { flags: 'wx', mode: 0o640 }));
      const saved = { size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks) };
      accept(saved);
      await rename(temporary, path);
      return saved;
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  /** A read stream of the file, or null when its bytes are gone from disk. */
  async open(key: string): Promise<ReadStream | null> {
    const path = this.pathOf(key);
    try {
      await stat(path);
    } catch {
      return null;
    }
    return createReadStream(path);
  }

  async remove(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch(() => undefined);
  }
}
