import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One `POST /{version}/me/messages` the double received, as our adapter sent it. */
export interface GraphSendCall {
  version: string;
  /** The Page token, from `Authorization: Bearer` or the `access_token` query parameter. */
  token: string | null;
  contentType: string;
  recipientId: string | undefined;
  messagingType: string | undefined;
  tag: string | undefined;
  /** The `message` object (from JSON, or the multipart `message` field). */
  message: Record<string, unknown> | undefined;
  /** Multipart uploads: the `filedata` part. */
  file: { filename: string; type: string; size: number } | undefined;
  status: number;
  messageId?: string;
}

/** A Graph API error reply exactly as Meta documents it ("Common Error Codes"). */
export interface GraphErrorReply {
  status: number;
  error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string };
}

const graphError = (status: number, code: number, message: string, subcode?: number, type = 'OAuthException'): GraphErrorReply => ({
  status,
  error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEfGhIjKlMnOp' },
});

/** The documented failures a test can make the next send hit. */
export const GRAPH_ERRORS = {
  outsideWindow: graphError(400, 10, 'This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview', 2018278),
  instagramOutsideWindow: graphError(400, 10, 'This message is sent outside of allowed window.', 2534022),
  userUnavailable: graphError(400, 551, "This person isn't available right now.", 1545041),
  rateLimited: graphError(400, 613, 'Calls to this API have exceeded the rate limit.'),
  invalidToken: graphError(401, 190, 'Invalid OAuth access token.'),
  temporaryFailure: graphError(500, 1200, 'Temporary send message failure. Please try again later.', undefined, 'FacebookApiException'),
} as const;

export interface GraphApiDouble {
  /** Point a Meta channel's `graphBaseUrl` here. */
  url: string;
  calls: GraphSendCall[];
  /** The next sends answer these errors, in order, instead of succeeding. */
  failNext(...errors: GraphErrorReply[]): void;
  close(): Promise<void>;
}

/**
 * Plays the Graph API's Send API for the Messenger/Instagram adapter: checks the Page token,
 * records every call and answers `{recipient_id, message_id}` (or a scripted documented error).
 */
export async function startGraphApiDouble(options: { pageAccessToken: string }): Promise<GraphApiDouble> {
  const calls: GraphSendCall[] = [];
  const failures: GraphErrorReply[] = [];
  let sequence = 0;
  // Meta's mids are unique for good: a second double (the demo run again) must not reuse one.
  const run = Date.now().toString(36);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://graph.local');
    const match = /^\/(v\d+\.\d+)\/me\/messages$/.exec(url.pathname);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match?.[1]) {
      answer(404, graphError(404, 803, 'Unknown path components').error);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const contentType = req.headers['content-type'] ?? '';
    const received = new Request('http://graph.local', { method: 'POST', headers: { 'content-type': contentType }, body: Buffer.concat(chunks) });
    const fields = readFields(contentType.startsWith('multipart/') ? await received.formData().catch(() => undefined) : await received.text());
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? url.searchParams.get('access_token');
    const call: GraphSendCall = { version: match[1], token, contentType, ...fields, status: 200 };
    calls.push(call);
    if (token !== options.pageAccessToken) {
      call.status = GRAPH_ERRORS.invalidToken.status;
      answer(call.status, { error: GRAPH_ERRORS.invalidToken.error });
      return;
    }
    const failure = failures.shift();
    if (failure) {
      call.status = failure.status;
      answer(failure.status, { error: failure.error });
      return;
    }
    call.messageId = `m_harness-${run}-${++sequence}`;
    answer(200, { recipient_id: fields.recipientId, message_id: call.messageId });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('graph double: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    calls,
    failNext: (...errors) => failures.push(...errors),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Fields = Pick<GraphSendCall, 'recipientId' | 'messagingType' | 'tag' | 'message' | 'file'>;

function readFields(body: string | FormData | undefined): Fields {
  if (body instanceof FormData) {
    const file = body.get('filedata');
    return {
      ...fromObject({ recipient: parse(body.get('recipient')), messaging_type: body.get('messaging_type'), tag: body.get('tag'), message: parse(body.get('message')) }),
      file: file instanceof File ? { filename: file.name, type: file.type, size: file.size } : undefined,
    };
  }
  return { ...fromObject(parse(body ?? null)), file: undefined };
}

function parse(value: FormDataEntryValue | string | null): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function fromObject(value: unknown): Omit<Fields, 'file'> {
  if (!isRecord(value)) return { recipientId: undefined, messagingType: undefined, tag: undefined, message: undefined };
  const recipient = isRecord(value['recipient']) ? value['recipient'] : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    recipientId: text(recipient['id']),
    messagingType: text(value['messaging_type']),
    tag: text(value['tag']),
    message: isRecord(value['message']) ? value['message'] : undefined,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
