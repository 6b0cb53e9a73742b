import { request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A small round-robin TCP load balancer for `npm run cluster` and the scale-out tests (issue 12).
 * One client connection is piped to one backend for its whole life, so a socket.io WebSocket stays
 * on the hub that accepted it without any cookie; HTTP keep-alive requests of one connection go to
 * the same hub too, and new connections rotate. Every `healthIntervalMs` each backend's /healthz is
 * asked; a backend that fails it, or refuses a connection, is skipped until it answers again. A
 * refused connect is retried on the next live backend (no byte was sent yet, so nothing is
 * replayed). It restarts nothing: a supervisor (systemd, Kubernetes) does that.
 */

export interface Backend {
  host: string;
  port: number;
}

export interface LoadBalancerOptions {
  host?: string;
  /** 0 = any free port. */
  port: number;
  backends: readonly Backend[];
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  /** Called when a backend goes up or down (for logs). */
  onBackendChange?: (backend: Backend, alive: boolean) => void;
}

export interface LoadBalancer {
  readonly url: string;
  readonly port: number;
  /** Backend ("host:port") chosen for each accepted client connection, in order. */
  readonly assignments: string[];
  /** Backends currently considered alive. */
  alive(): string[];
  stop(): Promise<void>;
}

export const backendKey = (b: Backend): string => `${b.host}:${b.port}`;

export async function startLoadBalancer(options: LoadBalancerOptions): Promise<LoadBalancer> {
  const host = options.host ?? '127.0.0.1';
  const healthIntervalMs = options.healthIntervalMs ?? 500;
  const healthTimeoutMs = options.healthTimeoutMs ?? 1000;
  const backends = [...options.backends];
  // Optimistic at start: a refused connect marks a backend down at once anyway.
  const up = new Map(backends.map((b) => [backendKey(b), true]));
  const assignments: string[] = [];
  const open = new Set<Socket>();
  let next = 0;

  const mark = (b: Backend, alive: boolean) => {
    if (up.get(backendKey(b)) === alive) return;
    up.set(backendKey(b), alive);
    options.onBackendChange?.(b, alive);
  };

  /** Live backends in round-robin order starting at the next turn (all of them if none is known alive). */
  const candidates = (): Backend[] => {
    const start = next;
    next = (next + 1) % backends.length;
    const rotated = backends.map((_, i) => backends[(start + i) % backends.length] as Backend);
    const live = rotated.filter((b) => up.get(backendKey(b)));
    return live.length > 0 ? live : rotated;
  };

  const pipeTo = (client: Socket, choices: Backend[]) => {
    const backend = choices[0];
    if (!backend) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: backend.host, port: backend.port });
    open.add(upstream);
    upstream.once('close', () => open.delete(upstream));
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      assignments.push(backendKey(backend));
      if (assignments.length > 100_000) assignments.splice(0, 50_000);
      client.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      // Only a connected upstream ends the client's connection: a refused one hands it on.
      upstream.once('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      if (!connected) {
        mark(backend, false);
        upstream.destroy();
        pipeTo(client, choices.slice(1));
        return;
      }
      client.destroy();
    });
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    // A client gone before any backend answered: nothing else listens for its errors yet.
    client.on('error', () => client.destroy());
    client.once('close', () => open.delete(client));
    pipeTo(client, candidates());
  });

  const check = (b: Backend) =>
    new Promise<boolean>((resolve) => {
      const req = request({ host: b.host, port: b.port, path: '/healthz', method: 'GET', timeout: healthTimeoutMs, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void Promise.all(backends.map(async (b) => mark(b, await check(b)))).finally(() => (checking = false));
  }, healthIntervalMs);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    port,
    assignments,
    alive: () => backends.filter((b) => up.get(backendKey(b))).map(backendKey),
    stop: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
