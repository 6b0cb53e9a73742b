import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchRecordingMedia, recordingMediaUrl, RecordingMediaError, redirectAllowed, type RecordingSource } from '../../../hub/src/voice/recordings/recording-media.js';

const SID = `RE${'a'.repeat(32)}`;
const ACCOUNT = `AC${'b'.repeat(32)}`;
const TOKEN = 'f00dfeedcafe4242f00dfeedcafe4242';
const BASIC = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`;

interface Seen {
  path: string;
  authorization: string | undefined;
  range: string | undefined;
}

/** A loopback HTTP server that logs what it was asked and answers with `handle`. */
async function server(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const s = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization, range: req.headers.range });
    handle(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  open.push(s);
  return { url: `http://127.0.0.1:${port}`, seen, server: s };
}

const open: Server[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

function source(apiBaseUrl: string, storedUrl: string | null = null): RecordingSource {
  return { recordingSid: SID, storedUrl, accountSid: ACCOUNT, authToken: TOKEN, apiBaseUrl };
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    const value = await promise;
    if (value && typeof value === 'object' && 'body' in value && value.body && typeof value.body === 'object' && Symbol.asyncIterator in value.body) {
      await read(value.body as NodeJS.ReadableStream);
    }
  } catch (error) {
    return error instanceof RecordingMediaError ? error.reason : `other: ${String(error)}`;
  }
  return 'no error';
}

describe('recording media URL and redirect policy', () => {
  it('uses the stored RecordingUrl on the API origin (+ .mp3), and the canonical path for anything stored elsewhere', () => {
    const api = 'http://127.0.0.1:4010';
    expect(recordingMediaUrl(source(api, `${api}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}`)).toString()).toBe(`${api}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`);
    expect(recordingMediaUrl(source(api, `${api}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`)).toString()).toBe(`${api}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`);
    expect(recordingMediaUrl(source(api, `${api}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.wav`)).pathname).toMatch(/\.wav$/);
    // Another host, another recording's path, a query string: never followed.
    for (const stored of [`https://evil.example/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}`, `${api}/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE${'c'.repeat(32)}`, `${api}/x/Recordings/${SID}?u=https://evil.example`, 'not a url']) {
      expect(recordingMediaUrl(source(api, stored)).toString()).toBe(`${api}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`);
    }
    const twilio = { recordingSid: SID, storedUrl: null, accountSid: ACCOUNT, authToken: TOKEN };
    expect(recordingMediaUrl(twilio).toString()).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`);
  });

  it('redirects: the API origin and Twilio hosts over HTTPS only', () => {
    const s = { apiBaseUrl: 'http://127.0.0.1:4010' };
    expect(redirectAllowed(new URL('http://127.0.0.1:4010/other'), s)).toBe(true);
    expect(redirectAllowed(new URL('https://media.twilio.com/x.mp3'), s)).toBe(true);
    expect(redirectAllowed(new URL('http://media.twilio.com/x.mp3'), s)).toBe(false);
    expect(redirectAllowed(new URL('https://twilio.com.evil.example/x.mp3'), s)).toBe(false);
    expect(redirectAllowed(new URL('http://127.0.0.1:4011/x.mp3'), s)).toBe(false);
  });
});

describe('fetchRecordingMedia', () => {
  it('streams the media with basic auth, forwarding Range and answering 206', async () => {
    const bytes = randomBytes(5000);
    const api = await server((req, res) => {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003}');
        return;
      }
      if (req.headers.range === 'bytes=100-199') {
        res.writeHead(206, { 'content-type': 'audio/mpeg', 'content-length': '100', 'content-range': 'bytes 100-199/5000', 'accept-ranges': 'bytes' }).end(bytes.subarray(100, 200));
        return;
      }
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(bytes.length) }).end(bytes);
    });
    const whole = await fetchRecordingMedia(source(api.url));
    expect({ status: whole.status, type: whole.contentType, length: whole.contentLength }).toEqual({ status: 200, type: 'audio/mpeg', length: 5000 });
    expect((await read(whole.body)).equals(bytes)).toBe(true);
    const part = await fetchRecordingMedia(source(api.url), { range: 'bytes=100-199' });
    expect({ status: part.status, range: part.contentRange, accept: part.acceptRanges }).toEqual({ status: 206, range: 'bytes 100-199/5000', accept: 'bytes' });
    expect((await read(part.body)).equals(bytes.subarray(100, 200))).toBe(true);
    // A malformed Range is not forwarded.
    await read((await fetchRecordingMedia(source(api.url), { range: 'bytes=0-1, 5-9\r\nx: y' })).body);
    expect(api.seen.map((s) => [s.path, s.range])).toEqual([
      [`/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`, undefined],
      [`/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`, 'bytes=100-199'],
      [`/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`, undefined],
    ]);
    expect(api.seen.every((s) => s.authorization === BASIC)).toBe(true);
  });

  it('follows a redirect on the API origin; refuses one to another host, which is never contacted', async () => {
    const trap = await server((_req, res) => res.writeHead(200, { 'content-type': 'audio/mpeg' }).end('stolen'));
    const api = await server((req, res) => {
      if (req.url?.startsWith('/moved')) res.writeHead(200, { 'content-type': 'audio/x-wav' }).end('RIFF');
      else if (req.url?.includes('/Recordings/')) res.writeHead(302, { location: '/moved/here.wav' }).end();
      else res.writeHead(404).end();
    });
    const moved = await fetchRecordingMedia(source(api.url));
    expect(moved.contentType).toBe('audio/x-wav');
    expect((await read(moved.body)).toString()).toBe('RIFF');
    expect(api.seen.map((s) => [s.path, s.authorization === BASIC])).toEqual([
      [`/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`, true],
      ['/moved/here.wav', true],
    ]);

    const evil = await server((_req, res) => res.writeHead(307, { location: `${trap.url}/steal` }).end());
    expect(await failure(fetchRecordingMedia(source(evil.url)))).toBe('redirect_refused');
    expect(trap.seen).toEqual([]);
  });

  it('sends the credentials only to the API origin: a redirect to Twilio’s media host goes without them', async () => {
    const calls: { url: string; authorization: string | null }[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      const url = input instanceof URL ? input.toString() : String(input);
      calls.push({ url, authorization: new Headers(init?.headers).get('authorization') });
      if (url.startsWith('https://api.twilio.com/')) return new Response(null, { status: 302, headers: { location: 'https://media.twilio.com/v1/signed/abc.mp3' } });
      return new Response('ID3audio', { status: 200, headers: { 'content-type': 'audio/mpeg' } });
    };
    const media = await fetchRecordingMedia({ recordingSid: SID, storedUrl: null, accountSid: ACCOUNT, authToken: TOKEN }, { fetchImpl: fakeFetch });
    expect((await read(media.body)).toString()).toBe('ID3audio');
    expect(calls).toEqual([
      { url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/${SID}.mp3`, authorization: BASIC },
      { url: 'https://media.twilio.com/v1/signed/abc.mp3', authorization: null },
    ]);
  });

  it('gives up on a redirect loop, a 404, wrong credentials, a non-audio answer', async () => {
    const loop = await server((_req, res) => res.writeHead(302, { location: '/again' }).end());
    expect(await failure(fetchRecordingMedia(source(loop.url)))).toBe('redirect_refused');
    expect(loop.seen).toHaveLength(4); // the first request and 3 redirects
    const missing = await server((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":20404}'));
    expect(await failure(fetchRecordingMedia(source(missing.url)))).toBe('not_found');
    const denied = await server((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":20003}'));
    expect(await failure(fetchRecordingMedia(source(denied.url)))).toBe('unauthorized');
    const html = await server((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'));
    expect(await failure(fetchRecordingMedia(source(html.url)))).toBe('not_audio');
  });

  it('caps the size (declared or streamed) and times out a silent or stalled upstream', async () => {
    const declared = await server((_req, res) => res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': '2048' }).end(randomBytes(2048)));
    expect(await failure(fetchRecordingMedia(source(declared.url), { limits: { maxBytes: 1024 } }))).toBe('too_large');
    const chunked = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      for (let i = 0; i < 8; i += 1) res.write(randomBytes(512));
      res.end();
    });
    expect(await failure(fetchRecordingMedia(source(chunked.url), { limits: { maxBytes: 1024 } }))).toBe('too_large');
    const silent = await server(() => undefined);
    const started = Date.now();
    expect(await failure(fetchRecordingMedia(source(silent.url), { limits: { timeoutMs: 300 } }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
    const stalled = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg' });
      res.write(randomBytes(100));
    });
    expect(await failure(fetchRecordingMedia(source(stalled.url), { limits: { timeoutMs: 300 } }))).toBe('timeout');
  });
});
