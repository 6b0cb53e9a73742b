import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { signBody } from '@ventanilla/connectors/core';
import { parseEmail } from '@ventanilla/connectors';
import { inboundJobId, type HubQueues, type InboundJob } from '../../../hub/src/queues/queues.js';
import { WIDGET_NAMESPACE, type WidgetClientToServerEvents, type WidgetServerToClientEvents } from '../../../hub/src/webchat/widget.contract.js';
import { TwilioWebhookClient } from '../../../test/harness/twilio/twilio-webhook-client.js';
import { SimulatedCall } from '../../../test/harness/twilio-voice/simulated-call.js';
import { messageWebhook } from '../../../test/harness/whatsapp/index.js';
import type { Waiters } from '../widget/waiters.js';
import { BENCH_ORIGIN, type LoadChannels } from './fixtures.js';
import type { HubHttp } from './hub-http.js';
import { citizenMarker, replyMarker, type LoadChannel, type LoadMetrics } from './load-metrics.js';

type WidgetClient = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

const OPENINGS = [
  'Buenas tardes, quiero saber el estado de mi trámite de pensión',
  'Hola, necesito una cita en mi clínica familiar',
  '¿Qué documentos necesito para dar de alta a mi beneficiario?',
  'No puedo descargar mi constancia de semanas cotizadas',
  'Quiero corregir mi RFC en el registro patronal',
];
const FOLLOW_UPS = ['Mi CURP es GALM850101MDFRPR09', 'Sí, el folio que me dieron es el 48213', '¿Y cuánto tarda en quedar?', 'De acuerdo, lo reviso'];
const CLOSING = 'Muchas gracias, es todo';
const sessionSchema = z.object({ visitorToken: z.string() });

export interface CitizenContext {
  url: string;
  http: HubHttp;
  channels: LoadChannels;
  metrics: LoadMetrics;
  /** Settled with the bench time a reply (its marker) reached the provider or the visitor. */
  replies: Waiters;
  queues: Pick<HubQueues, 'inbound'>;
  citizenDelayMs: [number, number];
  /** How long a citizen waits for an answer before giving up. */
  patienceMs: number;
  runId: string;
}

/** The text of a citizen's message n of `count`: an opening, follow-ups, a closing. */
function citizenText(key: string, n: number, count: number): string {
  const last = n === count - 1;
  const body = n === 0 ? (OPENINGS[hash(key) % OPENINGS.length] ?? '') : last ? CLOSING : (FOLLOW_UPS[n % FOLLOW_UPS.length] ?? '');
  return `${body} ${citizenMarker(key, n, last)}`;
}

/**
 * One citizen's conversation on a messaging channel: `count` messages, each sent once the
 * agent answered the previous one (and the citizen read it), the last one closing. `send`
 * delivers one message and resolves with the HTTP status of its acknowledgement.
 */
async function converse(ctx: CitizenContext, channel: LoadChannel, key: string, count: number, send: (text: string, n: number) => Promise<number>): Promise<void> {
  for (let n = 0; n < count; n++) {
    const text = citizenText(key, n, count);
    const reply = replyMarker(key, n);
    const answered = ctx.replies.wait(reply, ctx.patienceMs);
    const t0 = performance.now();
    ctx.metrics.citizenSent(channel, `${key}/${n}`, t0);
    let status: number;
    try {
      status = await send(text, n);
    } catch (error) {
      ctx.replies.cancel(reply);
      ctx.metrics.error(`${channel} send: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`);
      return;
    }
    if (status < 200 || status > 299) {
      ctx.replies.cancel(reply);
      ctx.metrics.error(`${channel} HTTP ${status}`);
      return;
    }
    ctx.metrics.acked(channel, performance.now() - t0);
    const at = await answered;
    if (!Number.isFinite(at)) {
      ctx.metrics.error(`${channel}: no answer within ${ctx.patienceMs / 1000} s (citizen gave up)`);
      return;
    }
    ctx.metrics.replyDelivered(channel, reply, at);
    if (n < count - 1) await sleep(between(ctx.citizenDelayMs));
  }
}

/** A web chat visitor: the pre-chat form, the widget socket, then the conversation over REST + socket. */
export async function webchatCitizen(ctx: CitizenContext, index: number): Promise<void> {
  const channelId = ctx.channels.webchat[index % ctx.channels.webchat.length] ?? '';
  const session = await ctx.http.request('POST', `/widget/v1/channels/${channelId}/sessions`, null, { name: `Ciudadana ${index}` }, { origin: BENCH_ORIGIN });
  if (session.status !== 201) {
    ctx.metrics.error(`webchat pre-chat HTTP ${session.status}`);
    return;
  }
  const { visitorToken } = sessionSchema.parse(JSON.parse(session.body));
  const socket: WidgetClient = connect(`${ctx.url}${WIDGET_NAMESPACE}`, { auth: { token: visitorToken }, extraHeaders: { origin: BENCH_ORIGIN }, transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(new Error(`widget socket: ${error.message}`)));
    });
    socket.on('message.created', (message) => {
      const at = performance.now();
      const text = message.text ?? '';
      const match = /\[re \S+ \d+\]/.exec(text);
      if (message.sender === 'agent' && match) ctx.replies.settle(match[0], at);
    });
    const key = `webchat-${ctx.runId}${index}`;
    await converse(ctx, 'webchat', key, 3 + (index % 2), (text) =>
      ctx.http.request('POST', '/widget/v1/messages', visitorToken, { clientMessageId: randomUUID(), text }, { origin: BENCH_ORIGIN }).then((r) => r.status),
    );
  } finally {
    socket.disconnect();
  }
}

/** A WhatsApp citizen (a phone of their own): Cloud API webhooks signed with the app secret. */
export async function whatsappCitizen(ctx: CitizenContext, index: number): Promise<void> {
  const { id, phoneNumberId, appSecret } = ctx.channels.whatsapp;
  const from = `5215${String(500_000_000 + index).slice(-9)}`;
  const key = `whatsapp-${ctx.runId}${index}`;
  await converse(ctx, 'whatsapp', key, 3 + (index % 3), (text, n) => {
    const { body } = messageWebhook(phoneNumberId, { from, name: `Ciudadano ${index}`, id: `wamid.load-${key}-${n}`, type: 'text', text });
    const bytes = Buffer.from(JSON.stringify(body));
    return ctx.http.raw('POST', `/webhooks/whatsapp/${id}`, bytes, { 'content-type': 'application/json', 'x-hub-signature-256': signBody(appSecret, bytes) }).then((r) => r.status);
  });
}

/** An SMS citizen: Twilio's form-encoded incoming-message webhook, signed over the URL and parameters. */
export async function smsCitizen(ctx: CitizenContext, index: number, messages: number): Promise<void> {
  const { id, accountSid, authToken, number } = ctx.channels.sms;
  const twilio = new TwilioWebhookClient(accountSid, authToken);
  const from = `+5255${String(60_000_000 + index).slice(-8)}`;
  const key = `sms-${ctx.runId}${index}`;
  const path = `/webhooks/sms/${id}`;
  await converse(ctx, 'sms', key, messages, (text) => {
    const params = twilio.inboundParams({ from, to: number, body: text });
    return ctx.http
      .raw('POST', path, Buffer.from(new URLSearchParams(params).toString()), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.sign(`${ctx.url}${path}`, params) })
      .then((r) => r.status);
  });
}

/**
 * One inbound e-mail, handed to ingest the way the IMAP reader does (handle-fetched-email.usecase.ts):
 * the raw message parsed by the connector's parseEmail, then an inbound job with the
 * Message-ID-derived job id. What is skipped: the IMAP fetch itself and storing the .eml as a file.
 * The agent's answer goes out over SMTP to the sink, which counts it.
 */
export async function emailCitizen(ctx: CitizenContext, index: number): Promise<void> {
  const key = `email-${ctx.runId}${index}`;
  const text = citizenText(key, 0, 1);
  const source = Buffer.from(
    [
      `From: Contribuyente ${index} <contribuyente${index}@correo.example.mx>`,
      `To: ${ctx.channels.email.address}`,
      `Subject: Consulta sobre mi registro patronal ${index}`,
      `Message-ID: <${key}@correo.example.mx>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      text,
      '',
    ].join('\r\n'),
  );
  const t0 = performance.now();
  ctx.metrics.citizenSent('email', `${key}/0`, t0);
  try {
    const parsed = await parseEmail(source, { maxAttachmentBytes: 10 * 1024 * 1024, receivedAt: new Date() });
    const job: InboundJob = { channelId: ctx.channels.email.id, event: parsed.event, receivedAt: Date.now(), requestId: `imap:load:${index}` };
    await ctx.queues.inbound.add(job.event.type, job, { jobId: inboundJobId(job) });
    ctx.metrics.acked('email', performance.now() - t0);
  } catch (error) {
    ctx.metrics.error(`email enqueue: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`);
  }
}

/**
 * One phone call through the voice bridge's Twilio webhooks (the harness's SimulatedCall signs
 * them as Twilio does): the incoming call (IVR TwiML), a menu key if the IVR asks, then the
 * caller hangs up and Twilio posts the final status callback. Each webhook is one voice event.
 */
export async function voiceCall(ctx: CitizenContext, index: number): Promise<void> {
  const { id, accountSid, authToken, number } = ctx.channels.voice;
  const call = new SimulatedCall({ baseUrl: ctx.url, channelId: id, authToken, accountSid, from: `+5233${String(10_000_000 + index).slice(-8)}`, to: number });
  const step = async (what: string, run: () => Promise<unknown>): Promise<boolean> => {
    const t0 = performance.now();
    ctx.metrics.citizenSent('voice', null, t0);
    try {
      await run();
    } catch (error) {
      ctx.metrics.error(`voice ${what}: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`);
      return false;
    }
    const status = call.lastStatus;
    if (status < 200 || status > 299) {
      ctx.metrics.error(`voice ${what} HTTP ${status}`);
      return false;
    }
    ctx.metrics.acked('voice', performance.now() - t0);
    return true;
  };
  if (!(await step('incoming', () => call.start()))) return;
  await sleep(between(ctx.citizenDelayMs));
  if (call.gather()?.input.includes('dtmf') && !(await step('menu', () => call.press('1')))) return;
  await sleep(between(ctx.citizenDelayMs));
  await step('status', () => call.hangUp());
}

export function between([min, max]: [number, number]): number {
  return min + Math.random() * (max - min);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h;
}
