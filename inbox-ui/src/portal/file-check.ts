/**
 * The client-side check of a document before upload: its type among the requirement's accepted
 * MIME types, its size under the limit. Only a courtesy — the hub sniffs the content and decides.
 */
const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  heic: 'image/heic',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

export type FileProblem = { kind: 'type' } | { kind: 'size'; maxBytes: number } | { kind: 'empty' };

/** The browser's type, or the one its extension implies when the browser gave none. */
export function fileType(name: string, type: string): string {
  if (type !== '') return type.toLowerCase();
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  return BY_EXTENSION[ext] ?? '';
}

export function checkFile(file: { name: string; type: string; size: number }, accept: readonly string[], maxBytes: number): FileProblem | null {
  if (file.size === 0) return { kind: 'empty' };
  const type = fileType(file.name, file.type);
  const accepted = accept.length === 0 || accept.some((a) => (a.endsWith('/*') ? type.startsWith(a.slice(0, -1)) : a.toLowerCase() === type));
  if (!accepted) return { kind: 'type' };
  if (file.size > maxBytes) return { kind: 'size', maxBytes };
  return null;
}

/** "2 MB", "350 kB": the limit as a citizen reads it. */
export function formatBytes(bytes: number, lang: 'es-MX' | 'en'): string {
  const format = (n: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(n);
  if (bytes >= 1024 * 1024) return `${format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${format(bytes / 1024)} kB`;
  return `${bytes} B`;
}

/** "PDF, PNG": the accepted types as a citizen reads them. */
export function acceptedLabel(accept: readonly string[]): string {
  const names = accept.map((a) => {
    const [, sub = a] = a.split('/');
    if (sub === '*') return a;
    return sub.replace(/^x-/, '').toUpperCase();
  });
  return [...new Set(names)].join(', ');
}
