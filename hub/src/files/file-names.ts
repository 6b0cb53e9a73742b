const MAX_NAME = 255;

/**
 * The original name as the citizen or agent will see it again ("Acta de nacimiento — José.pdf"),
 * minus what could hurt a header or a file system: control and bidi-override characters (a
 * right-to-left override makes "fdp.exe" read as "exe.pdf"), path separators, leading dots.
 */
export function sanitizeFilename(raw: string | undefined): string {
  let name = (raw ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[/\\]/g, '_')
    .trim()
    .replace(/^\.+/, '')
    .trim();
  if (name.length > MAX_NAME) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? '';
    name = name.slice(0, MAX_NAME - ext.length) + ext;
  }
  return name || 'archivo';
}

/** RFC 5987 attr-chars; encodeURIComponent leaves ' ( ) * unencoded, which attr-char forbids. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Plain-ASCII stand-in for old clients: accents dropped (José → Jose), anything else non-ASCII → _. */
function asciiFallback(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): every browser shows the original name. */
export function contentDisposition(filename: string, disposition: 'attachment' | 'inline'): string {
  return `${disposition}; filename="${asciiFallback(filename)}"; filename*=UTF-8''${encodeRfc5987(filename)}`;
}
