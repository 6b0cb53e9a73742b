import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';

/** Twilio's REST origin when the channel has no `apiBaseUrl` (the harness sets one). */
export const TWILIO_API_ORIGIN = 'https://api.twilio.com';

export interface RecordingSource {
  recordingSid: string;
  /** What we stored: voice_recordings.url (Twilio's RecordingUrl) or voice_voicemails.recording_url (+ `.mp3`). */
  storedUrl: string | null;
  accountSid: string;
  authToken: string;
  apiBaseUrl?: string | undefined;
}

export interface MediaLimits {
  /** Until the headers of each request, and the longest silence while the body streams. */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = { timeoutMs: 15_000, maxBytes: 200 * 1024 * 1024, maxRedirects: 3 };

export type MediaFailure = 'not_found' | 'unauthorized' | 'upstream_error' | 'redirect_refused' | 'too_large' | 'timeout' | 'not_audio';

export class RecordingMediaError extends Error {
  constructor(
    readonly reason: MediaFailure,
    detail: string,
  ) {
    super(detail);
  }
}

export interface RecordingMedia {
  status: 200 | 206;
  contentType: string;
  contentLength: number | null;
  contentRange: string | null;
  acceptRanges: string | null;
  body: Readable;
}

function apiOrigin(source: Pick<RecordingSource, 'apiBaseUrl'>): string {
  return new URL(source.apiBaseUrl ?? TWILIO_API_ORIGIN).origin;
}

/**
 * Where the media is: the stored RecordingUrl when it is on the channel's own API origin (Twilio,
 * or the harness through `apiBaseUrl`), `.mp3` appended when it has no extension (the voicemail
 * attachment already says audio/mpeg); anything else stored there is ignored and the canonical
 * `…/Accounts/{AccountSid}/Recordings/{Sid}.mp3` on that origin is used — a row can never make
 * the hub send the channel's credentials to another host.
 */
export function recordingMediaUrl(source: RecordingSource): URL {
  const origin = apiOrigin(source);
  const stored = parseUrl(source.storedUrl);
  const pathOk = stored && new RegExp(`/Recordings/${source.recordingSid}(\\.(mp3|wav))?$`).test(stored.pathname);
  if (stored && stored.origin === origin && pathOk && stored.search === '' && stored.username === '' && stored.password === '') {
    if (!/\.(mp3|wav)$/.test(stored.pathname)) stored.pathname = `${stored.pathname}.mp3`;
    return stored;
  }
  const base = new URL(source.apiBaseUrl ?? TWILIO_API_ORIGIN);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}/2010-04-01/Accounts/${encodeURIComponent(source.accountSid)}/Recordings/${source.recordingSid}.mp3`);
}

function parseUrl(raw: string | null): URL | null {
  if (!raw) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** A redirect may go to the channel's API origin or to Twilio's own hosts over HTTPS, nowhere else. */
export function redirectAllowed(target: URL, source: Pick<RecordingSource, 'apiBaseUrl'>): boolean {
  if (target.origin === apiOrigin(source)) return true;
  const host = target.hostname.toLowerCase();
  return target.protocol === 'https:' && (host === 'twilio.com' || host.endsWith('.twilio.com'));
}

const RANGE = /^bytes=\d{0,15}-\d{0,15}$/;

/**
 * Fetches a recording's media with the account's HTTP basic auth (Twilio serves media only that
 * way) and hands back a stream. Redirects are followed by hand, only to allowed hosts, and the
 * credentials go only to the channel's API origin (a presigned media URL needs none). The body
 * is cut off past `maxBytes` or after `timeoutMs` without a byte.
 */
export async function fetchRecordingMedia(source: RecordingSource, options: { range?: string | undefined; limits?: Partial<MediaLimits>; fetchImpl?: typeof fetch } = {}): Promise<RecordingMedia> {
  const limits = { ...DEFAULT_MEDIA_LIMITS, ...options.limits };
  const doFetch = options.fetchImpl ?? fetch;
  const origin = apiOrigin(source);
  const basic = `Basic ${Buffer.from(`${source.accountSid}:${source.authToken}`).toString('base64')}`;
  const range = options.range !== undefined && RANGE.test(options.range) ? options.range : undefined;
  let url = recordingMediaUrl(source);
  for (let hop = 0; ; hop += 1) {
    const headers: Record<string, string> = { accept: 'audio/mpeg, audio/*;q=0.9' };
    if (url.origin === origin) headers['authorization'] = basic;
    if (range) headers['range'] = range;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
    let response: Response;
    try {
      response = await doFetch(url, { method: 'GET', headers, redirect: 'manual', signal: controller.signal });
    } catch (error) {
      clearTimeout(timer);
      if (controller.signal.aborted) throw new RecordingMediaError('timeout', `no answer from ${url.host} within ${limits.timeoutMs} ms`);
      throw new RecordingMediaError('upstream_error', `request to ${url.host} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    clearTimeout(timer);
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      const next = location ? parseUrl(new URL(location, url).toString()) : null;
      if (!next || hop >= limits.maxRedirects || !redirectAllowed(next, source)) {
        throw new RecordingMediaError('redirect_refused', `redirect from ${url.host} to ${next?.host ?? '(none)'} refused`);
      }
      url = next;
      continue;
    }
    return answer(response, url, limits, controller);
  }
}

function answer(response: Response, url: URL, limits: MediaLimits, controller: AbortController): RecordingMedia {
  const fail = (reason: MediaFailure, detail: string): RecordingMediaError => {
    void response.body?.cancel().catch(() => undefined);
    return new RecordingMediaError(reason, detail);
  };
  if (response.status === 404) throw fail('not_found', `${url.host} has no such recording`);
  if (response.status === 401 || response.status === 403) throw fail('unauthorized', `${url.host} refused the channel's credentials (${response.status})`);
  if (response.status !== 200 && response.status !== 206) throw fail('upstream_error', `${url.host} answered ${response.status}`);
  const declared = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (declared !== '' && !declared.startsWith('audio/') && declared !== 'application/octet-stream') throw fail('not_audio', `${url.host} sent ${declared}, not audio`);
  const lengthHeader = response.headers.get('content-length');
  const contentLength = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (contentLength !== null && contentLength > limits.maxBytes) throw fail('too_large', `${contentLength} bytes is over the ${limits.maxBytes}-byte cap`);
  if (!response.body) throw fail('upstream_error', `${url.host} sent no body`);
  const contentType = declared.startsWith('audio/') ? declared : url.pathname.endsWith('.wav') ? 'audio/x-wav' : 'audio/mpeg';
  const body = new CappedStream(limits, controller);
  // pipeline, not pipe: an upstream error (reset, abort) must end the reply's stream too.
  pipeline(Readable.from(chunksOf(response.body)), body, () => undefined);
  return {
    status: response.status === 206 ? 206 : 200,
    contentType,
    contentLength,
    contentRange: response.headers.get('content-range'),
    acceptRanges: response.headers.get('accept-ranges'),
    body,
  };
}

/** The web stream's chunks; stopping early (the reply's socket closed, the cap) cancels the download. */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

/** Passes bytes through; errors past the cap or after `timeoutMs` without a chunk (and aborts the upstream request). */
class CappedStream extends Transform {
  private seen = 0;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly limits: MediaLimits,
    private readonly controller: AbortController,
  ) {
    super();
    this.timer = this.arm();
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(() => {
      this.controller.abort();
      this.destroy(new RecordingMediaError('timeout', `the media stalled for ${this.limits.timeoutMs} ms`));
    }, this.limits.timeoutMs);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    clearTimeout(this.timer);
    this.seen += chunk.length;
    if (this.seen > this.limits.maxBytes) {
      this.controller.abort();
      callback(new RecordingMediaError('too_large', `the media is over the ${this.limits.maxBytes}-byte cap`));
      return;
    }
    this.timer = this.arm();
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    clearTimeout(this.timer);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    callback(error);
  }
}
