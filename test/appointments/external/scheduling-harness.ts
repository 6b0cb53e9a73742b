import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * An institution's scheduling system implementing the REST API of
 * hub/src/appointments/external/README.md over real HTTP (127.0.0.1, a free port), with an
 * in-memory calendar. It verifies the signature itself (its own HMAC code, not the hub's), so a
 * test passes only if the hub signs as documented. `behaviour` makes it refuse, fail or hang.
 */
export interface HarnessBooking {
  externalRef: string;
  idempotencyKey: string;
  folio: string | null;
  roomId: string;
  startsAt: string;
  endsAt: string;
  status: 'booked' | 'confirmed' | 'cancelled' | 'attended' | 'no_show';
  officialId: string | null;
}

export interface HarnessRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: unknown;
  /** The answer's status (401 for a bad signature). */
  status: number;
}

export type HarnessBehaviour = 'normal' | 'down' | 'hang';

export interface SchedulingHarness {
  baseUrl: string;
  readonly secret: string;
  readonly bookings: Map<string, HarnessBooking>;
  readonly requests: HarnessRequest[];
  behaviour: HarnessBehaviour;
  /** Adds a booking made directly in the institution's system (not through the hub). */
  seed(booking: Omit<HarnessBooking, 'externalRef' | 'idempotencyKey'> & { externalRef?: string }): HarnessBooking;
  /** Requests that reached the calendar (signed correctly, not while down). */
  accepted(method?: string, pathPrefix?: string): HarnessRequest[];
  close(): Promise<void>;
}

const MAX_SKEW_S = 300;

function verify(secret: string, request: IncomingMessage, path: string, body: string): boolean {
  const timestamp = request.headers['x-ventanilla-timestamp'];
  const signature = request.headers['x-ventanilla-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_S) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.method ?? ''} ${path}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function send(response: ServerResponse, status: number, json?: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(json === undefined ? '' : JSON.stringify(json));
}

function field(body: unknown, name: string): string | null {
  if (typeof body !== 'object' || body === null || !(name in body)) return null;
  const value: unknown = Reflect.get(body, name);
  return typeof value === 'string' ? value : null;
}

export async function startSchedulingHarness(secret = 'harness-secret-0123456789-abcdefghijklmnop'): Promise<SchedulingHarness> {
  const bookings = new Map<string, HarnessBooking>();
  const requests: HarnessRequest[] = [];
  let next = 1;
  const hanging: ServerResponse[] = [];
  const harness: SchedulingHarness = {
    baseUrl: '',
    secret,
    bookings,
    requests,
    behaviour: 'normal',
    seed(booking) {
      const externalRef = booking.externalRef ?? `EXT-${next++}`;
      const stored: HarnessBooking = { ...booking, externalRef, idempotencyKey: `seed-${externalRef}` };
      bookings.set(externalRef, stored);
      return stored;
    },
    accepted(method, pathPrefix) {
      return requests.filter((r) => r.status !== 401 && r.status !== 503 && (method === undefined || r.method === method) && (pathPrefix === undefined || r.path.startsWith(pathPrefix)));
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = (request: IncomingMessage, response: ServerResponse, raw: string): void => {
    const url = new URL(request.url ?? '/', 'http://harness');
    const path = `${url.pathname}${url.search}`;
    const idempotencyKey = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
    let body: unknown = null;
    try {
      body = raw === '' ? null : JSON.parse(raw);
    } catch {
      body = null;
    }
    const log = (status: number): void => {
      requests.push({ method: request.method ?? '', path, idempotencyKey, body, status });
    };
    if (!verify(secret, request, path, raw)) {
      log(401);
      send(response, 401, { error: 'bad signature' });
      return;
    }
    if (harness.behaviour === 'hang') {
      log(0);
      hanging.push(response);
      return;
    }
    if (harness.behaviour === 'down') {
      log(503);
      send(response, 503, { error: 'maintenance' });
      return;
    }
    const route = url.pathname.replace(/^\/api/, '');
    if (request.method === 'GET' && route === '/health') {
      log(200);
      send(response, 200, { ok: true });
      return;
    }
    if (request.method === 'GET' && route === '/bookings') {
      const from = Date.parse(url.searchParams.get('from') ?? '');
      const to = Date.parse(url.searchParams.get('to') ?? '');
      const inRange = [...bookings.values()].filter((b) => Date.parse(b.startsAt) >= from && Date.parse(b.startsAt) < to);
      log(200);
      send(response, 200, { bookings: inRange.map((b) => ({ externalRef: b.externalRef, roomId: b.roomId, startsAt: b.startsAt, endsAt: b.endsAt, status: b.status, folio: b.folio })) });
      return;
    }
    if (request.method === 'POST' && route === '/bookings') {
      const again = [...bookings.values()].find((b) => idempotencyKey !== null && b.idempotencyKey === idempotencyKey);
      if (again) {
        log(200);
        send(response, 200, { externalRef: again.externalRef });
        return;
      }
      const roomId = field(body, 'roomId') ?? '';
      const startsAt = field(body, 'startsAt') ?? '';
      const taken = [...bookings.values()].some((b) => b.roomId === roomId && b.startsAt === startsAt && (b.status === 'booked' || b.status === 'confirmed'));
      if (taken || idempotencyKey === null) {
        log(409);
        send(response, 409, { error: 'slot_taken' });
        return;
      }
      const externalRef = `EXT-${next++}`;
      bookings.set(externalRef, { externalRef, idempotencyKey, folio: field(body, 'folio'), roomId, startsAt, endsAt: field(body, 'endsAt') ?? startsAt, status: 'booked', officialId: field(body, 'officialId') });
      log(201);
      send(response, 201, { externalRef });
      return;
    }
    const action = /^\/bookings\/([^/]+)\/(cancel|status)$/.exec(route);
    if (request.method === 'POST' && action) {
      const booking = bookings.get(decodeURIComponent(action[1] ?? ''));
      if (!booking) {
        log(404);
        send(response, 404, { error: 'unknown booking' });
        return;
      }
      if (action[2] === 'cancel') booking.status = 'cancelled';
      else {
        const status = field(body, 'status');
        if (status === 'confirmed' || status === 'attended' || status === 'no_show') booking.status = status;
      }
      log(200);
      send(response, 200, { externalRef: booking.externalRef, status: booking.status });
      return;
    }
    log(404);
    send(response, 404, { error: 'no such route' });
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the harness did not get a TCP port');
  harness.baseUrl = `http://127.0.0.1:${address.port}/api`;
  return harness;
}
