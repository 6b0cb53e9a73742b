import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { FOREIGN_ORIGIN, ORIGIN } from '../webchat/widget-harness.js';
import { anyJson, byteMutation, HOSTILE_KEYS, jsonMutation, mutateBytes, mutateJson, type JsonMutation } from './fuzz-arbitraries.js';
import type { StatusCounts } from './webhook-http-fuzz.js';

/** The widget's REST endpoints (widget.contract.ts) with a valid body each, to mutate. */
interface WidgetEndpoint {
  method: 'GET' | 'POST';
  url: (channelId: string) => string;
  body?: unknown;
}

const UUID = '0b6c3f0e-8a52-4c1e-9d3f-2a7e5b1c9d40';

export const WIDGET_ENDPOINTS: WidgetEndpoint[] = [
  { method: 'GET', url: (c) => `/channels/${c}/config` },
  { method: 'POST', url: (c) => `/channels/${c}/captcha`, body: {} },
  { method: 'POST', url: (c) => `/channels/${c}/sessions`, body: { name: 'Ana Ciudadana', email: 'ana@example.mx', phone: '+525512345678', topic: 'citas', captcha: { challenge: 'x', nonce: '1' } } },
  { method: 'POST', url: (c) => `/channels/${c}/leave-message`, body: { name: 'Ana', email: 'ana@example.mx', text: 'Necesito ayuda con mi trámite' } },
  { method: 'GET', url: () => '/session' },
  { method: 'POST', url: () => '/messages', body: { clientMessageId: UUID, text: 'Hola, ¿me ayudan con mi cita?' } },
  { method: 'POST', url: () => '/files', body: { clientMessageId: UUID } },
  { method: 'GET', url: () => `/files/${UUID}` },
  { method: 'GET', url: () => '/transcript?format=html' },
  { method: 'POST', url: () => '/transcript/email', body: { email: 'ana@example.mx' } },
  { method: 'GET', url: () => '/survey' },
  { method: 'POST', url: () => '/survey', body: { rating: 5, comment: 'Muy bien', answers: { resuelto: true }, agentRatings: [{ agentId: UUID, rating: 5 }] } },
  { method: 'POST', url: () => '/callbacks', body: { phone: '+525512345678', name: 'Ana' } },
  { method: 'POST', url: () => '/end', body: {} },
];

interface WidgetCase {
  endpoint: number;
  channel: 'valid' | 'random';
  randomId: string;
  token: 'valid' | 'none' | 'garbage';
  garbageToken: string;
  origin: string | null;
  body: Buffer | null;
  /** Send the endpoint's own valid body with these mutations (none: the valid body) instead of `body`. */
  own: JsonMutation[] | null;
  contentType: string;
  ip: number;
}

function widgetCase(): fc.Arbitrary<WidgetCase> {
  const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null');
  return fc.record({
    endpoint: fc.nat({ max: WIDGET_ENDPOINTS.length - 1 }),
    channel: fc.constantFrom('valid', 'valid', 'valid', 'random'),
    randomId: fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }), fc.constantFrom(...HOSTILE_KEYS)),
    token: fc.constantFrom('valid', 'valid', 'none', 'garbage'),
    garbageToken: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')),
    origin: fc.oneof({ weight: 6, arbitrary: fc.constant(ORIGIN) }, { weight: 1, arbitrary: fc.constantFrom(FOREIGN_ORIGIN, null, 'null', '') }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }),
    body: fc.option(
      fc.oneof(
        { weight: 4, arbitrary: fc.tuple(fc.nat(), fc.array(jsonMutation, { maxLength: 4 })).map(([i, ms]) => json(mutateJson(WIDGET_ENDPOINTS[i % WIDGET_ENDPOINTS.length]?.body ?? {}, ms))) },
        { weight: 2, arbitrary: anyJson.map(json) },
        { weight: 1, arbitrary: fc.tuple(fc.nat(), fc.array(byteMutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => mutateBytes(json(WIDGET_ENDPOINTS[i % WIDGET_ENDPOINTS.length]?.body ?? {}), ms)) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
      ),
      { freq: 8 },
    ),
    own: fc.option(fc.array(jsonMutation, { maxLength: 3 }), { freq: 2 }),
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json') },
      { weight: 2, arbitrary: fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '') },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
    ),
    ip: fc.nat({ max: 250 }),
  });
}

/**
 * Every /widget/v1 endpoint with mutated and random bodies, tokens (valid, none, forged),
 * origins and channel ids, from many addresses (the rate limits answer 429, a 4xx): never 5xx.
 */
export async function fuzzWidgetRest(app: FastifyInstance, target: { channelId: string; token: string }, options: { numRuns: number; seed: number }): Promise<StatusCounts> {
  const statuses: StatusCounts = {};
  await fc.assert(
    fc.asyncProperty(widgetCase(), async (c) => {
      const endpoint = WIDGET_ENDPOINTS[c.endpoint] ?? WIDGET_ENDPOINTS[0]!;
      const channelId = c.channel === 'valid' ? target.channelId : encodeURIComponent(c.randomId);
      const token = c.token === 'valid' ? target.token : c.token === 'garbage' ? c.garbageToken.replace(/[^\x20-\x7e]/g, '?') : null;
      const body = c.own !== null && endpoint.body !== undefined ? Buffer.from(JSON.stringify(mutateJson(endpoint.body, c.own)) ?? 'null') : c.body;
      const method = body === null ? endpoint.method : 'POST';
      const headers: Record<string, string> = { 'user-agent': 'Fuzz/1.0' };
      if (c.origin !== null) headers['origin'] = c.origin.replace(/[^\x20-\x7e]/g, '?');
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      if (body !== null) headers['content-type'] = c.contentType.replace(/[^\x20-\x7e]/g, '?');
      const res = await app.inject({
        method,
        url: `/widget/v1${endpoint.url(channelId)}`,
        remoteAddress: `198.51.100.${c.ip}`,
        headers,
        ...(body !== null ? { payload: body } : {}),
      });
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode >= 500) throw new Error(`${method} /widget/v1${endpoint.url(channelId)} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    }),
    { numRuns: options.numRuns, seed: options.seed, endOnFailure: true },
  );
  return statuses;
}

export interface SocketFuzzResult {
  emitted: number;
  /** Acks by `ok` or error code. */
  acks: Record<string, number>;
}

const EVENT_NAMES = ['session.join', 'messages.read', 'visitor.typing'];
const ACK_EVENTS = ['session.join', 'messages.read'];

/** The widget socket, connected with a visitor token (the same handshake as the widget bundle). */
export async function connectFuzzSocket(baseUrl: string, token: string): Promise<Socket> {
  // Untyped on purpose: the fuzzer sends events and payloads the contract does not allow.
  const socket: Socket = connect(`${baseUrl}/widget`, { auth: { token }, transports: ['websocket'], reconnection: false, extraHeaders: { origin: ORIGIN } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error: Error) => reject(error));
  });
  return socket;
}

/**
 * Random events and payloads on a visitor's socket: the contract's events with mutated
 * arguments, unknown event names, extra arguments, with and without an ack. An ack, when the
 * server gives one, is `{ ok: true }` or `{ ok: false, code: 'HUB_ERR_…' }`; the socket stays up.
 */
export async function fuzzWidgetSocket(socket: Socket, options: { numRuns: number; seed: number }): Promise<SocketFuzzResult> {
  const result: SocketFuzzResult = { emitted: 0, acks: {} };
  const payload = fc.oneof(
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom<unknown>({ typing: true }, { messageIds: [UUID] }, {}), fc.array(jsonMutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => mutateJson(v, ms)) },
    { weight: 2, arbitrary: anyJson },
  );
  const event = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...EVENT_NAMES) }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...HOSTILE_KEYS)) });
  await fc.assert(
    fc.asyncProperty(event, fc.array(payload, { maxLength: 3 }), fc.boolean(), async (name, args, withAck) => {
      if (!socket.connected) throw new Error('the widget socket was disconnected by the server');
      result.emitted += 1;
      // Names socket.io reserves throw on the client side before anything is sent.
      if (['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(name)) return;
      // The handlers taking an ack read it as their second argument: ask for one only there,
      // with exactly one payload; anything else is sent fire-and-forget (the server may ignore it).
      if (!withAck || !ACK_EVENTS.includes(name)) {
        socket.emit(name, ...args);
        return;
      }
      const reply: unknown = await socket.timeout(10_000).emitWithAck(name, args[0] ?? null);
      const key = ackKey(reply);
      if (key === null) throw new Error(`${name}: unexpected ack ${JSON.stringify(reply)}`);
      result.acks[key] = (result.acks[key] ?? 0) + 1;
    }),
    { numRuns: options.numRuns, seed: options.seed, endOnFailure: true },
  );
  return result;
}

function ackKey(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) return null;
  if (reply.ok === true) return 'ok';
  if (reply.ok === false && 'code' in reply && typeof reply.code === 'string' && reply.code.startsWith('HUB_ERR_')) return reply.code;
  return null;
}
