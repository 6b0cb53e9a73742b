/**
 * Messages between the main thread and the PGlite worker thread (pglite.thread.ts).
 * Both sides parse what they receive with the guards below instead of trusting casts:
 * a malformed message is a bug that should fail loudly, not turn into undefined rows.
 * Everything here must survive structured clone (plain objects, arrays, Dates, Uint8Array).
 */
import { inspect } from 'node:util';

export interface ThreadInit {
  /** Absolute path of the PGlite data directory. */
  dataDir: string;
  /** Schema created on start and put first on the session's search_path. */
  schema: string;
}

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'close' };

/**
 * The fields of PostgreSQL's ErrorResponse that PGlite's (and node-postgres') DatabaseError
 * carries. Callers match on them (code 23505 + constraint), so they have to cross the thread.
 */
export const DB_ERROR_FIELDS = [
  'code',
  'severity',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

export type DbErrorField = (typeof DB_ERROR_FIELDS)[number];

export interface SerializedDbError {
  name: string;
  message: string;
  fields: Partial<Record<DbErrorField, string>>;
}

export type ThreadResponse =
  | { type: 'ready' }
  | { type: 'failed'; error: SerializedDbError }
  | { type: 'result'; id: number; rows: unknown[]; affectedRows?: number }
  | { type: 'error'; id: number; error: SerializedDbError };

/** Structured clone drops an Error's own properties (code, constraint…), so copy them by hand. */
export function serializeError(error: unknown): SerializedDbError {
  if (!(error instanceof Error)) {
    // Emscripten's file-system errors are plain objects ({ name: 'ErrnoError', errno: 54 }).
    const name = isRecord(error) && typeof error['name'] === 'string' ? error['name'] : 'Error';
    return { name, message: typeof error === 'string' ? error : inspect(error, { breakLength: Infinity }), fields: {} };
  }
  const fields: Partial<Record<DbErrorField, string>> = {};
  for (const field of DB_ERROR_FIELDS) {
    const value: unknown = Reflect.get(error, field);
    if (typeof value === 'string') fields[field] = value;
  }
  return { name: error.name, message: error.message, fields };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isSerializedError(value: unknown): value is SerializedDbError {
  if (!isRecord(value) || typeof value['name'] !== 'string' || typeof value['message'] !== 'string') return false;
  const fields = value['fields'];
  return isRecord(fields) && Object.values(fields).every((v) => typeof v === 'string');
}

export function isThreadInit(value: unknown): value is ThreadInit {
  return isRecord(value) && typeof value['dataDir'] === 'string' && typeof value['schema'] === 'string';
}

export function isThreadRequest(value: unknown): value is ThreadRequest {
  if (!isRecord(value) || typeof value['id'] !== 'number') return false;
  switch (value['op']) {
    case 'query':
      return typeof value['sql'] === 'string' && Array.isArray(value['params']);
    case 'exec':
      return typeof value['sql'] === 'string';
    case 'close':
      return true;
    default:
      return false;
  }
}

export function isThreadResponse(value: unknown): value is ThreadResponse {
  if (!isRecord(value)) return false;
  switch (value['type']) {
    case 'ready':
      return true;
    case 'failed':
      return isSerializedError(value['error']);
    case 'result':
      return (
        typeof value['id'] === 'number' &&
        Array.isArray(value['rows']) &&
        (value['affectedRows'] === undefined || typeof value['affectedRows'] === 'number')
      );
    case 'error':
      return typeof value['id'] === 'number' && isSerializedError(value['error']);
    default:
      return false;
  }
}
