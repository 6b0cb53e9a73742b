import { isUtf8 } from 'node:buffer';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { firstHeader, headersFromLines, parseHeaderBlock } from './email-headers.js';

export interface MailAddress {
  address?: string;
  name?: string;
}

export interface MailPart {
  filename?: string;
  contentType: string;
  content: Buffer;
  /** Without angle brackets: what a `cid:` reference in the HTML names. */
  contentId?: string;
  inline: boolean;
}

/** One mail as far as it could be read, whichever decoder got there. */
export interface MailView {
  headers: Record<string, string[]>;
  subject: string;
  from?: MailAddress;
  to: string[];
  cc: string[];
  text?: string;
  html?: string;
  parts: MailPart[];
  /** Nothing readable came out: the text is a placeholder and the raw .eml is the record. */
  unreadable: boolean;
}

const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  keepCidLinks: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
} as const;

const windows1252 = new TextDecoder('windows-1252');

/**
 * Decodes a raw message with mailparser, and recovers what it can when the MIME is broken
 * (CONVENTIONS 12: the hub keeps the raw .eml, but the agent should still read the words).
 * Never throws: a mail mailparser rejects falls back to a reading of the raw bytes.
 */
export async function readMail(raw: Buffer): Promise<MailView> {
  const end = headerEnd(raw);
  const headerBytes = raw.subarray(0, end);
  const headerText = decodeLenient(headerBytes).replace(/\r?\n\r?\n$/, '');
  const headersAreUtf8 = isUtf8(headerBytes);
  const rawHeaders = parseHeaderBlock(headerText);
  const mail = await parseQuietly(raw);
  // The body as text is only needed to recover from broken MIME (rare): decoded then, not always.
  if (!mail) return fromRaw(rawHeaders, decodeLenient(raw.subarray(end)));
  // 8-bit header bytes that are not UTF-8 come out of mailparser as U+FFFD: read them as 1252.
  const latin1 = headersAreUtf8 ? undefined : rawHeaders;
  let view = fromParsed(mail, latin1);
  const body = !view.text && !view.html && view.parts.length === 0 ? decodeLenient(raw.subarray(end)) : '';
  if (body.trim() !== '') {
    const repaired = await reparseWithFoundBoundary(rawHeaders, headerText, body);
    view = repaired ? { ...fromParsed(repaired, latin1), headers: view.headers } : { ...view, ...bodyAsText(body) };
  }
  return recoverLatin1Body(view, raw.subarray(end), rawHeaders);
}

async function parseQuietly(raw: Buffer | string): Promise<ParsedMail | undefined> {
  try {
    return await simpleParser(raw, PARSER_OPTIONS);
  } catch {
    return undefined;
  }
}

function fromParsed(mail: ParsedMail, latin1Headers: Record<string, string[]> | undefined): MailView {
  const from = mail.from?.value.find((a) => a.address) ?? mail.from?.value[0];
  const fromName = latin1Headers && from?.name?.includes('\uFFFD') ? displayNameOf(firstHeader(latin1Headers, 'from')) : from?.name;
  const subject = latin1Headers && mail.subject?.includes('\uFFFD') ? (firstHeader(latin1Headers, 'subject') ?? mail.subject) : (mail.subject ?? '');
  return {
    headers: headersFromLines(mail.headerLines),
    subject,
    ...(from ? { from: { ...(from.address ? { address: from.address.toLowerCase() } : {}), ...(fromName ? { name: fromName } : {}) } } : {}),
    to: addressesOf(mail.to),
    cc: addressesOf(mail.cc),
    ...(mail.text && mail.text.trim() ? { text: mail.text } : {}),
    ...(typeof mail.html === 'string' && mail.html.trim() ? { html: mail.html } : {}),
    parts: mail.attachments.map((a) => ({
      ...(a.filename ? { filename: a.filename } : {}),
      contentType: a.contentType || 'application/octet-stream',
      content: a.content,
      ...(a.cid ? { contentId: a.cid } : {}),
      inline: a.contentDisposition === 'inline' || a.related === true,
    })),
    unreadable: false,
  };
}

/** mailparser rejected the message outright (e.g. absurd nesting): headers and body as plain text. */
function fromRaw(rawHeaders: Record<string, string[]>, body: string): MailView {
  const fromHeader = firstHeader(rawHeaders, 'from');
  const address = addressIn(fromHeader);
  const name = displayNameOf(fromHeader);
  return {
    headers: rawHeaders,
    subject: firstHeader(rawHeaders, 'subject') ?? '',
    ...(address || name ? { from: { ...(address ? { address } : {}), ...(name ? { name } : {}) } } : {}),
    to: listIn(firstHeader(rawHeaders, 'to')),
    cc: listIn(firstHeader(rawHeaders, 'cc')),
    parts: [],
    ...bodyAsText(body),
  };
}

/**
 * A multipart whose declared boundary never appears, but whose body has delimiter lines of
 * another one (a client that rewrote the header, a truncated copy): parse again with those.
 */
async function reparseWithFoundBoundary(rawHeaders: Record<string, string[]>, headerText: string, body: string): Promise<ParsedMail | undefined> {
  const contentType = firstHeader(rawHeaders, 'content-type') ?? '';
  if (!/^\s*multipart\//i.test(contentType)) return undefined;
  const found = /^--(\S{1,70}?)(--)?[ \t]*$/m.exec(body)?.[1];
  if (!found || body.includes(`--${boundaryOf(contentType)}`)) return undefined;
  const subtype = /^\s*multipart\/([\w.-]+)/i.exec(contentType)?.[1] ?? 'mixed';
  const headers = headerText.replace(/^content-type:.*(\r?\n[ \t].*)*/im, `Content-Type: multipart/${subtype}; boundary="${found}"`);
  const mail = await parseQuietly(`${headers}\n\n${body}`);
  return mail && (mail.text?.trim() || mail.html || mail.attachments.length > 0) ? mail : undefined;
}

/** The body bytes as text, without MIME scaffolding; a placeholder when it is not text at all. */
function bodyAsText(body: string): Pick<MailView, 'text' | 'unreadable'> {
  const text = body
    .split(/\r?\n/)
    .filter((line) => !/^--\S{1,72}\s*$/.test(line) && !/^content-[a-z-]+\s*:/i.test(line) && !/^mime-version\s*:/i.test(line))
    .join('\n')
    .trim();
  return text && isMostlyPrintable(text) ? { text, unreadable: false } : { unreadable: true };
}

/**
 * Mexican mail still arrives as unlabelled ISO-8859-1/Windows-1252: a single-part body that is
 * not valid UTF-8 and that mailparser decoded to replacement characters is read as 1252.
 */
function recoverLatin1Body(view: MailView, bytes: Buffer, rawHeaders: Record<string, string[]>): MailView {
  if (!view.text?.includes('\uFFFD')) return view;
  const contentType = (firstHeader(rawHeaders, 'content-type') ?? 'text/plain').toLowerCase();
  const encoding = (firstHeader(rawHeaders, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  if (!contentType.trimStart().startsWith('text/plain') || !['7bit', '8bit', 'binary'].includes(encoding)) return view;
  if (isUtf8(bytes)) return view;
  return { ...view, text: windows1252.decode(bytes) };
}

/** Offset of the body: after the first empty line (or 0 when the message has no header block). */
function headerEnd(raw: Buffer): number {
  for (let lf = raw.indexOf(0x0a); lf >= 0; lf = raw.indexOf(0x0a, lf + 1)) {
    if (raw[lf + 1] === 0x0a) return lf + 2;
    if (raw[lf + 1] === 0x0d && raw[lf + 2] === 0x0a) return lf + 3;
  }
  return /^[!-9;-~]+:/.test(raw.subarray(0, 200).toString('latin1')) ? raw.length : 0;
}

function decodeLenient(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : windows1252.decode(bytes);
}

function isMostlyPrintable(text: string): boolean {
  const printable = text.match(/[\p{L}\p{N}\p{P}\p{S}\p{Zs}\t\n\r]/gu)?.length ?? 0;
  return printable / text.length >= 0.9;
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const flat = (list: EmailAddress[]): string[] => list.flatMap((a) => [...(a.address ? [a.address.toLowerCase()] : []), ...flat(a.group ?? [])]);
  return objects.flatMap((o) => flat(o.value));
}

function addressIn(value: string | undefined): string | undefined {
  const match = value ? (/<([^<>\s@]+@[^<>\s]+)>/.exec(value) ?? /([^\s<>,;:"]+@[^\s<>,;:"]+)/.exec(value)) : null;
  return match?.[1]?.toLowerCase();
}

function listIn(value: string | undefined): string[] {
  return value ? value.split(',').flatMap((part) => addressIn(part) ?? []) : [];
}

function displayNameOf(value: string | undefined): string | undefined {
  const name = value?.includes('<') ? value.slice(0, value.indexOf('<')).replace(/^[\s"]+|[\s"]+$/g, '') : undefined;
  return name || undefined;
}

function boundaryOf(contentType: string): string {
  return /boundary\s*=\s*"?([^";]+)"?/i.exec(contentType)?.[1] ?? '\u0000';
}
