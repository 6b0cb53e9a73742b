import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { io as connect, type Socket } from 'socket.io-client';
import type { Database } from '@ventanilla/hub';
import type { WebchatChannelSettingsInput } from '@ventanilla/connectors';
import { solvePow } from '../../hub/src/webchat/pow-captcha.js';
import type { CaptchaChallenge, WidgetClientToServerEvents, WidgetServerToClientEvents, WidgetSessionCreated } from '../../hub/src/webchat/widget.contract.js';

export const ORIGIN = 'https://www.gob.mx';
export const OTHER_ORIGIN = 'https://tramites.gob.mx';
export const FOREIGN_ORIGIN = 'https://phishing.example.com';

export type WidgetClient = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

/** A web chat channel row (settings as an administrator would save them). */
export async function createWebchatChannel(db: Kysely<Database>, campaignId: string, settings: Partial<WebchatChannelSettingsInput> = {}, enabled = true) {
  return db
    .insertInto('channels')
    .values({
      campaign_id: campaignId,
      kind: 'webchat',
      name: 'Chat web',
      settings: JSON.stringify({ allowedOrigins: [ORIGIN, OTHER_ORIGIN], captcha: { kind: 'none' }, ...settings }),
      secrets: '{}',
      enabled,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface WidgetCall {
  method?: 'GET' | 'POST' | 'OPTIONS';
  url: string;
  token?: string;
  origin?: string | null;
  body?: unknown;
  ip?: string;
  headers?: Record<string, string>;
}

/** One widget request through inject(): the page's Origin (null = none) and the visitor token. */
export function widgetCall(app: FastifyInstance, call: WidgetCall): Promise<LightMyRequestResponse> {
  const origin = call.origin === undefined ? ORIGIN : call.origin;
  return app.inject({
    method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
    url: `/widget/v1${call.url}`,
    remoteAddress: call.ip ?? '203.0.113.10',
    headers: {
      ...(origin ? { origin } : {}),
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Prueba/1.0',
      ...call.headers,
    },
    ...(call.body !== undefined ? { payload: JSON.stringify(call.body) } : {}),
  });
}

/** Pre-chat form → a visitor (solving the proof of work when the channel asks for one). */
export async function startVisitor(
  app: FastifyInstance,
  channelId: string,
  input: { name?: string; email?: string; phone?: string; topic?: string; visitorToken?: string; pow?: boolean; origin?: string; ip?: string } = {},
): Promise<WidgetSessionCreated> {
  const { pow, origin, ip, ...form } = input;
  let captcha: { challenge: string; nonce: string } | undefined;
  if (pow) {
    const challenge = (await widgetCall(app, { url: `/channels/${channelId}/captcha`, body: {}, ...(origin ? { origin } : {}), ...(ip ? { ip } : {}) })).json<CaptchaChallenge>();
    captcha = { challenge: challenge.challenge, nonce: solvePow(challenge.challenge, challenge.difficulty) };
  }
  const res = await widgetCall(app, {
    url: `/channels/${channelId}/sessions`,
    body: { name: 'Ana Ciudadana', ...form, ...(captcha ? { captcha } : {}) },
    ...(origin ? { origin } : {}),
    ...(ip ? { ip } : {}),
  });
  if (res.statusCode !== 201) throw new Error(`session not created: ${res.statusCode} ${res.body}`);
  return res.json<WidgetSessionCreated>();
}

/** The widget's socket, connected (or the connect_error's code). */
export async function connectWidget(baseUrl: string, token: string, origin: string = ORIGIN): Promise<WidgetClient> {
  const socket: WidgetClient = connect(`${baseUrl}/widget`, { auth: { token }, transports: ['websocket'], reconnection: false, extraHeaders: { origin } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => reject(new Error(error.data?.code ?? error.message)));
  });
  return socket;
}

/** Rate limits count in fixed windows: start a test well inside one, so it cannot straddle two. */
export async function freshWindow(windowSeconds = 60): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < 8000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
