/**
 * The file types agents may attach, and a check of the first bytes against the claimed type.
 * The browser's Content-Type comes from the file name on the agent's machine, so it is a claim:
 * a file is kept only when its content starts the way that type must (no HTML named .png) and
 * carries no active markup a browser could be talked into rendering (no GIF/HTML polyglot).
 */

interface FileType {
  extensions: readonly string[];
  /** True when the first bytes (up to 8 KiB) are plausible for this type. */
  sniff: (head: Buffer) => boolean;
}

const startsWith = (head: Buffer, ...bytes: number[]) => bytes.every((b, i) => head[i] === b);
const ascii = (head: Buffer, at: number, text: string) => head.subarray(at, at + text.length).toString('latin1') === text;
const zip = (head: Buffer) => startsWith(head, 0x50, 0x4b, 0x03, 0x04);
const isoMedia = (head: Buffer) => ascii(head, 4, 'ftyp');
/** Plain text in any ASCII-compatible encoding (UTF-8, or Windows-1252 from Excel): no NUL bytes. */
const text = (head: Buffer) => !head.includes(0);

export const ALLOWED_FILE_TYPES = {
  'image/jpeg': { extensions: ['jpg', 'jpeg'], sniff: (h) => startsWith(h, 0xff, 0xd8, 0xff) },
  'image/png': { extensions: ['png'], sniff: (h) => startsWith(h, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) },
  'image/gif': { extensions: ['gif'], sniff: (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a') },
  'image/webp': { extensions: ['webp'], sniff: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP') },
  'application/pdf': { extensions: ['pdf'], sniff: (h) => ascii(h, 0, '%PDF-') },
  'text/plain': { extensions: ['txt'], sniff: text },
  'text/csv': { extensions: ['csv'], sniff: text },
  'audio/ogg': { extensions: ['ogg', 'oga', 'opus'], sniff: (h) => ascii(h, 0, 'OggS') },
  // MP3: an ID3 tag, or straight into an MPEG audio frame (11 sync bits set).
  'audio/mpeg': { extensions: ['mp3'], sniff: (h) => ascii(h, 0, 'ID3') || (h[0] === 0xff && ((h[1] ?? 0) & 0xe0) === 0xe0) },
  'audio/mp4': { extensions: ['m4a'], sniff: isoMedia },
  'video/mp4': { extensions: ['mp4', 'm4v'], sniff: isoMedia },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extensions: ['docx'], sniff: zip },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extensions: ['xlsx'], sniff: zip },
} as const satisfies Record<string, FileType>;

export type AllowedMimeType = keyof typeof ALLOWED_FILE_TYPES;

/** Names browsers and phones use for the same types. */
const ALIASES: Record<string, AllowedMimeType> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'audio/mp3': 'audio/mpeg',
  'audio/x-mp3': 'audio/mpeg',
  'audio/x-m4a': 'audio/mp4',
  'audio/m4a': 'audio/mp4',
  'audio/opus': 'audio/ogg',
  'application/ogg': 'audio/ogg',
  'application/csv': 'text/csv',
  'text/comma-separated-values': 'text/csv',
  'application/x-pdf': 'application/pdf',
};

function isAllowed(mime: string): mime is AllowedMimeType {
  return Object.hasOwn(ALLOWED_FILE_TYPES, mime);
}

function byExtension(filename: string): AllowedMimeType | null {
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(filename)?.[1]?.toLowerCase();
  if (!ext) return null;
  for (const [mime, type] of Object.entries(ALLOWED_FILE_TYPES)) {
    if ((type.extensions as readonly string[]).includes(ext) && isAllowed(mime)) return mime;
  }
  return null;
}

/**
 * The type to store: the declared one (aliases folded), else — when the browser sent something
 * generic such as application/octet-stream, or Excel's application/vnd.ms-excel for a .csv —
 * the one the extension names. null = not an allowed type.
 */
export function resolveMimeType(declared: string | undefined, filename: string): AllowedMimeType | null {
  const base = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (isAllowed(base)) return base;
  const alias = ALIASES[base];
  if (alias) return alias;
  return byExtension(filename);
}

/**
 * Tags a browser executes or renders as a document. Looked for anywhere in the first 8 KiB: a
 * GIF header followed by `<script>` is a valid GIF *and* a page if anything ever sniffs it. Not
 * `<?xml` or `<x:xmpmeta`, which JPEG, PNG and PDF files legitimately carry as XMP metadata.
 */
const ACTIVE_MARKUP = /<\s*(?:(?:script|html|body|head|iframe|frame|frameset|svg|object|embed|applet|math|form|base|meta)(?=[\s/>:])|xsl:|!doctype\s+html)/i;

/** True when the first bytes contain HTML/SVG a browser would run (see ACTIVE_MARKUP). */
export function hasActiveMarkup(head: Buffer): boolean {
  // latin1 keeps one character per byte, so binary content cannot hide a tag behind a bad UTF-8 sequence.
  return ACTIVE_MARKUP.test(head.toString('latin1'));
}

export function contentMatches(mime: AllowedMimeType, head: Buffer): boolean {
  return ALLOWED_FILE_TYPES[mime].sniff(head) && !hasActiveMarkup(head);
}

/**
 * The binary type the content itself announces (magic numbers only: text has none), for media
 * whose provider or mail client mislabelled it (a PNG sent as image/jpeg). null = none of ours.
 */
export function sniffMimeType(head: Buffer): AllowedMimeType | null {
  if (hasActiveMarkup(head)) return null;
  for (const [mime, type] of Object.entries(ALLOWED_FILE_TYPES)) {
    if (type.sniff === text || !isAllowed(mime)) continue;
    // ZIP and ISO media are containers: their magic number alone does not say docx vs xlsx, m4a vs mp4.
    if (type.sniff === zip || type.sniff === isoMedia) continue;
    if (type.sniff(head)) return mime;
  }
  return null;
}

const PREVIEWABLE = new Set<string>(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf']);

/**
 * Shown inline in the browser for previews (?inline=1); anything else is always a download.
 * Raster images and PDF only: never SVG (a document with scripts) nor anything not checked.
 */
export function isPreviewable(mime: string): boolean {
  return PREVIEWABLE.has(mime);
}

/**
 * The Content-Type a stored file is served with: its type when it is one of ours (checked by
 * content when it was stored), else application/octet-stream — a row that says text/html or
 * image/svg+xml (an e-mail's system parts, an older row) is never handed to the browser as such.
 */
export function servedContentType(mime: string): string {
  const base = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  // The original of an inbound e-mail (kept byte for byte) opens in the agent's mail program; it is never previewable, so always a download.
  if (base === 'message/rfc822') return base;
  return isAllowed(base) ? base : 'application/octet-stream';
}

/** The message content type of an outbound message whose first attachment has this type. */
export function messageContentType(mime: string): 'image' | 'audio' | 'video' | 'file' {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'file';
}
