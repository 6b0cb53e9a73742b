/** The portal's client paths: /portal (the procedures), /portal/tramite/<folio> (one case). */
export const CASE_FOLIO_PATTERN = /^TRAM-[0-9]{8}-[0-9]{6}$/;

export type PortalView = 'procedures' | 'start' | 'case';

/** The folio of a direct link, upper-cased, or null when the path is not a case link. */
export function folioFromPath(pathname: string): string | null {
  const match = /^\/portal\/tramite\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[1]) return null;
  let folio: string;
  try {
    folio = decodeURIComponent(match[1]).trim().toUpperCase();
  } catch {
    return null;
  }
  return folio === '' ? null : folio;
}

export function casePath(folio: string): string {
  return `/portal/tramite/${encodeURIComponent(folio)}`;
}
