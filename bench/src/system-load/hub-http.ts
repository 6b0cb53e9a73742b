import { Agent, request } from 'node:http';

export interface HubResponse {
  status: number;
  body: string;
}

/**
 * The agents' and visitors' REST client: keep-alive HTTP/1.1 over node:http to the hub's API
 * process (a pool of `maxSockets` connections, as many browsers behind one proxy would hold),
 * JSON in and out, an optional bearer token and extra headers.
 */
export class HubHttp {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
  }

  request(method: string, path: string, token: string | null, json: unknown, headers: Record<string, string> = {}): Promise<HubResponse> {
    const body = json === null ? null : Buffer.from(JSON.stringify(json));
    return this.raw(method, path, body, {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    });
  }

  /** Exact bytes (a signed webhook): the signature covers them. */
  raw(method: string, path: string, body: Buffer | null, headers: Record<string, string>): Promise<HubResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        { agent: this.agent, host: this.host, port: this.port, method, path, headers: { ...headers, 'content-length': String(body?.length ?? 0) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout after 30 s')));
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
