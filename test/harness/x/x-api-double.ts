import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One `POST /2/dm_conversations/with/:participant_id/messages` the double received. */
export interface XDmCall {
  participantId: string;
  /** The bearer token sent (OAuth 2.0 user context), or null without `Authorization: Bearer`. */
  token: string | null;
  contentType: string;
  body: unknown;
  status: number;
  dmEventId?: string;
}

/** An X API v2 error reply as X documents it (problem JSON: `title`, `detail`, `type`, `status`). */
export interface XErrorReply {
  status: number;
  body: { title: string; detail: string; type: string; status: number };
}

const problem = (status: number, title: string, detail: string, type = 'about:blank'): XErrorReply => ({ status, body: { title, detail, type, status } });

/** The documented failures a test can make the next send hit. */
export const X_ERRORS = {
  notPermitted: problem(403, 'Forbidden', 'You are not permitted to send this DM.', 'https://api.twitter.com/2/problems/not-authorized-for-resource'),
  rateLimited: problem(429, 'Too Many Requests', 'Too Many Requests'),
  unauthorized: problem(401, 'Unauthorized', 'Unauthorized'),
  unavailable: problem(503, 'Service Unavailable', 'Service Unavailable'),
} as const;

export interface XApiDouble {
  /** Point an X channel's `apiBaseUrl` here. */
  url: string;
  calls: XDmCall[];
  /** The next sends answer these errors, in order, instead of succeeding. */
  failNext(...errors: XErrorReply[]): void;
  close(): Promise<void>;
}

/**
 * Plays X API v2's DM endpoint for the X adapter: checks the business account's bearer token,
 * records every call, answers 201 `{ data: { dm_conversation_id, dm_event_id } }` (or a scripted
 * documented error). `dm_event_id`s are fresh 19-digit snowflake-like ids.
 */
export async function startXApiDouble(options: { accountId: string; userAccessToken: string }): Promise<XApiDouble> {
  const calls: XDmCall[] = [];
  const failures: XErrorReply[] = [];
  let sequence = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://x.local').pathname;
    const participantId = /^\/2\/dm_conversations\/with\/(\d{1,20})\/messages$/.exec(path)?.[1];
    if (req.method !== 'POST' || !participantId) {
      answer(404, problem(404, 'Not Found Error', `Could not find ${req.method ?? ''} ${path}`).body);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const call: XDmCall = { participantId, token, contentType: req.headers['content-type'] ?? '', body, status: 201 };
    calls.push(call);
    const failure = token !== options.userAccessToken ? X_ERRORS.unauthorized : failures.shift();
    if (failure) {
      call.status = failure.status;
      answer(failure.status, failure.body);
      return;
    }
    const text = typeof body === 'object' && body !== null && 'text' in body ? body.text : undefined;
    if (typeof text !== 'string' || text.length === 0) {
      call.status = 400;
      answer(400, { errors: [{ parameters: { text: [] }, message: 'Requires at least one of text or attachments' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' });
      return;
    }
    call.dmEventId = `18641${String(Date.now()).slice(-9)}${String(++sequence).padStart(5, '0')}`;
    answer(201, { data: { dm_conversation_id: `${options.accountId}-${participantId}`, dm_event_id: call.dmEventId } });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('X API double: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    calls,
    failNext: (...errors) => failures.push(...errors),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
