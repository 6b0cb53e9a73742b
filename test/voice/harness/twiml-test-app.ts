/**
 * The hub's side for the cloud harness's own tests: a real Fastify server on 127.0.0.1 that
 * answers TwiML per path and records every webhook with whether its X-Twilio-Signature is valid
 * (checked with the SDK's `validateRequest`, independently of how the cloud signs).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';

export interface Hit {
  method: string;
  path: string;
  params: Record<string, string>;
  signatureValid: boolean;
}

export type TwimlHandler = (params: Record<string, string>) => string;

export interface TwimlTestApp {
  baseUrl: string;
  hits: Hit[];
  /** Serves TwiML at `path` (the body inside <Response>, or a function of the request's parameters). */
  on(path: string, twiml: string | TwimlHandler): void;
  hitsTo(path: string): Hit[];
  close(): Promise<void>;
}

export async function startTwimlTestApp(authToken: string): Promise<TwimlTestApp> {
  const app: FastifyInstance = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });
  const routes = new Map<string, TwimlHandler>();
  const hits: Hit[] = [];
  let baseUrl = '';
  app.all('/*', async (req, reply) => {
    const url = new URL(req.url, baseUrl);
    const body = req.body;
    const params: Record<string, string> = {};
    if (req.method === 'POST' && typeof body === 'object' && body !== null) for (const [k, v] of Object.entries(body)) params[k] = String(v);
    if (req.method === 'GET') for (const [k, v] of url.searchParams) params[k] = v;
    const signature = req.headers['x-twilio-signature'];
    const signatureValid =
      typeof signature === 'string' && twilio.validateRequest(authToken, signature, `${baseUrl}${req.url}`, req.method === 'POST' ? params : {});
    hits.push({ method: req.method, path: url.pathname, params, signatureValid });
    const handler = routes.get(url.pathname);
    reply.header('content-type', 'text/xml; charset=utf-8');
    return `<?xml version="1.0" encoding="UTF-8"?><Response>${handler ? handler(params) : ''}</Response>`;
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    baseUrl,
    hits,
    on(path, twiml) {
      routes.set(path, typeof twiml === 'string' ? () => twiml : twiml);
    },
    hitsTo(path) {
      return hits.filter((hit) => hit.path === path);
    },
    close: () => app.close(),
  };
}
