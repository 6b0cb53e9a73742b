import { apiErrorFrom } from './api-error.js';
import type { AuthSession } from './auth-session.js';

/**
 * GETs a hub file export through the session (token, refresh) and lets the browser save it under
 * the hub's file name (Content-Disposition), or `fallbackName`. Resolves to the name used.
 */
export async function downloadFromHub(session: AuthSession, path: string, fallbackName: string): Promise<string> {
  const response = await session.request(path);
  if (!response.ok) throw await apiErrorFrom(response);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
