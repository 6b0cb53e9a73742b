import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';

/**
 * The floor: a raw socket.io server and client in this process, no hub, no Redis, no database:
 * server emit → client receive of a payload the size of a snapshot, one at a time.
 */
export async function rawEmitRoundTrip(samples: number, payloadBytes: number): Promise<number[]> {
  const http = createServer();
  const server = new Server(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const payload = { blob: 'x'.repeat(payloadBytes) };
  const latencies: number[] = [];
  try {
    for (let i = 0; i < samples; i += 1) {
      const received = new Promise<void>((resolve) => client.once('snapshot', () => resolve()));
      const t0 = performance.now();
      server.emit('snapshot', payload);
      await received;
      latencies.push(performance.now() - t0);
    }
  } finally {
    client.disconnect();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return latencies;
}
