import { Agent as HttpAgent, createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoadBalancer, type LoadBalancer } from '../../scripts/cluster/load-balancer.js';

/**
 * The cluster's round-robin TCP balancer (scripts/cluster/load-balancer.ts) with plain HTTP
 * backends that say who they are: new connections rotate, one connection stays on its backend,
 * a dead backend is skipped (at once on a refused connect, and by the health check), and comes
 * back when it answers /healthz again.
 */

interface Named {
  name: string;
  server: Server;
  port: number;
}

async function backend(name: string, port = 0): Promise<Named> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(req.url === '/healthz' ? 'ok' : name);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return { name, server, port: typeof address === 'object' && address ? address.port : 0 };
}

function close(b: Named): Promise<void> {
  b.server.closeAllConnections();
  return new Promise((resolve) => b.server.close(() => resolve()));
}

/** GET / through the balancer on a connection of its own (or of `agent`): the backend's name. */
function whoAnswers(lb: LoadBalancer, agent?: HttpAgent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: lb.port, path: '/', agent: agent ?? false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the cluster load balancer', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup(count: number): Promise<{ lb: LoadBalancer; backends: Named[] }> {
    const backends = await Promise.all(Array.from({ length: count }, (_, i) => backend(`hub-${i + 1}`)));
    cleanup.push(async () => {
      await Promise.all(backends.map((b) => (b.server.listening ? close(b) : Promise.resolve())));
    });
    const lb = await startLoadBalancer({ port: 0, backends: backends.map((b) => ({ host: '127.0.0.1', port: b.port })), healthIntervalMs: 100 });
    cleanup.push(() => lb.stop());
    return { lb, backends };
  }

  it('sends each new connection to the next backend in turn', async () => {
    const { lb } = await setup(3);
    const names: string[] = [];
    for (let i = 0; i < 6; i += 1) names.push(await whoAnswers(lb));
    expect(names).toEqual(['hub-1', 'hub-2', 'hub-3', 'hub-1', 'hub-2', 'hub-3']);
    expect(lb.assignments).toHaveLength(6);
  });

  it('keeps every request of one keep-alive connection on the same backend', async () => {
    const { lb } = await setup(3);
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    cleanup.push(async () => agent.destroy());
    const names: string[] = [];
    for (let i = 0; i < 5; i += 1) names.push(await whoAnswers(lb, agent));
    expect(new Set(names).size).toBe(1);
    expect(lb.assignments).toHaveLength(1);
  });

  it('skips a backend that refuses connections, and takes it back once /healthz answers again', async () => {
    const { lb, backends } = await setup(3);
    const second = backends[1] as Named;
    await close(second);
    const names: string[] = [];
    for (let i = 0; i < 6; i += 1) names.push(await whoAnswers(lb));
    expect(names).not.toContain('hub-2');
    expect(names.filter((n) => n === 'hub-1').length).toBeGreaterThan(0);
    expect(names.filter((n) => n === 'hub-3').length).toBeGreaterThan(0);
    await expect.poll(() => lb.alive(), { timeout: 5000 }).toEqual([`127.0.0.1:${backends[0]?.port}`, `127.0.0.1:${backends[2]?.port}`]);

    const revived = await backend('hub-2-again', second.port);
    cleanup.push(() => close(revived));
    await expect.poll(() => lb.alive().length, { timeout: 5000 }).toBe(3);
    const after: string[] = [];
    for (let i = 0; i < 3; i += 1) after.push(await whoAnswers(lb));
    expect(after).toContain('hub-2-again');
  });

  it('closes the client connection when no backend is left', async () => {
    const { lb, backends } = await setup(2);
    await Promise.all(backends.map(close));
    await expect(whoAnswers(lb)).rejects.toThrow();
  });
});
