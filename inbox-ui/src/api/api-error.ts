import type { Lang } from '../i18n/lang.js';

/** The hub's error body: `{ error: { code, message, details?, requestId } }`, message "es / en". */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads an error response; anything that is not the hub's shape still becomes an ApiError. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const error = typeof body === 'object' && body !== null ? Reflect.get(body, 'error') : undefined;
  if (typeof error === 'object' && error !== null) {
    const code = Reflect.get(error, 'code');
    const message = Reflect.get(error, 'message');
    const requestId = Reflect.get(error, 'requestId');
    return new ApiError(
      response.status,
      typeof code === 'string' ? code : 'HUB_ERR_UNKNOWN',
      typeof message === 'string' ? message : `HTTP ${response.status}`,
      Reflect.get(error, 'details'),
      typeof requestId === 'string' ? requestId : undefined,
    );
  }
  return new ApiError(response.status, response.status >= 500 ? 'HUB_ERR_UNAVAILABLE' : 'HUB_ERR_UNKNOWN', `HTTP ${response.status}`);
}

/**
 * The hub writes messages as "español / English"; a list of problems joins such pairs with "; ".
 * Each part is cut at its " / " and the side of the current language kept.
 */
export function localizedMessage(message: string, lang: Lang): string {
  return message
    .split('; ')
    .map((part) => {
      const at = part.indexOf(' / ');
      if (at < 0) return part;
      return lang === 'en' ? part.slice(at + 3) : part.slice(0, at);
    })
    .join('; ');
}

export function errorText(error: unknown, lang: Lang, fallback: string): string {
  if (error instanceof ApiError) return localizedMessage(error.message, lang);
  if (error instanceof TypeError) return fallback;
  return error instanceof Error ? error.message : fallback;
}
