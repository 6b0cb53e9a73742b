/**
 * Raw header values by lower-case name, each occurrence kept (Received, Comments… repeat).
 * Values are unfolded (RFC 5322 §2.2.3) but not decoded: classification and DSN parsing look at
 * tokens, never at display text.
 */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** From mailparser's `headerLines` (`{ key, line: 'Key: value' }`). */
export function headersFromLines(lines: readonly { key: string; line: string }[]): Record<string, string[]> {
  const bag: Record<string, string[]> = {};
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    if (!key || colon < 0) continue;
    const name = key.toLowerCase();
    (bag[name] ??= []).push(unfold(line.slice(colon + 1)));
  }
  return bag;
}

/**
 * A block of `Name: value` lines (a message header, one DSN field group, text/rfc822-headers),
 * up to the first empty line.
 */
export function parseHeaderBlock(text: string): Record<string, string[]> {
  const bag: Record<string, string[]> = {};
  let current: { name: string; value: string } | undefined;
  const flush = () => {
    if (current) (bag[current.name] ??= []).push(unfold(current.value));
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current || Object.keys(bag).length > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (current) current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const match = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (match) current = { name: match[1]!.toLowerCase(), value: match[2]! };
  }
  flush();
  return bag;
}

/** Every value of a header (case-insensitive name). */
export function headerValues(headers: HeaderBag, name: string): string[] {
  const lower = name.toLowerCase();
  const found: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower || value === undefined) continue;
    if (typeof value === 'string') found.push(value);
    else found.push(...value);
  }
  return found;
}

export function firstHeader(headers: HeaderBag, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

/** Message-IDs in a header value (`<id@host>` tokens), in order. */
export function messageIdsIn(value: string | undefined): string[] {
  return value ? [...value.matchAll(/<[^<>\s]+>/g)].map((m) => m[0]) : [];
}

function unfold(value: string): string {
  return value.replace(/\r?\n[ \t]+/g, ' ').trim();
}
