/**
 * Citizen traffic simulator: posts realistic Spanish messages to the hub's API-channel webhook,
 * signed like a real client would sign them (HMAC-SHA256 over the exact body bytes).
 *
 *   npm run simulate -- --rate 50 --duration 30
 *   npm run simulate -- --url http://127.0.0.1:3000 --channel <id> --secret <s> --seed 7
 *
 * Without --channel/--secret it reads data/demo.json, written by `npm run demo`, and spreads the
 * traffic over every demo channel: insured workers' topics (citas, semanas cotizadas,
 * incapacidades, pensiones) to "Derechohabientes", employers' and taxpayers' topics (alta
 * patronal, cuotas, RFC, constancia de situación fiscal, buzón tributario) to "Contribuyentes".
 */
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from './prng.js';
import {
  areaCodes,
  citizenTopics,
  documentPhotos,
  emailDomains,
  givenNames,
  surnames,
  unsupportedContents,
  type CitizenArea,
  type CitizenTopic,
} from './citizen-corpus.js';

export const SIGNATURE_HEADER = 'x-ventanilla-signature';

export interface SimChannel {
  id: string;
  campaign: string;
  secret: string;
}

export interface SimulatedRequest {
  channelId: string;
  /** Path of the webhook, to append to the hub's base URL. */
  path: string;
  /** The exact bytes that were signed and must be sent. */
  body: string;
  headers: Record<string, string>;
  messageId: string;
  /** Stable id of the simulated citizen (several messages share one). */
  citizen: number;
  contentType: string;
}

export interface BuildOptions {
  seed: number | string;
  /** Distinguishes runs, so a repeated run with the same seed is not deduplicated by the hub. */
  runId: string;
  channels: readonly SimChannel[];
  /** Timestamp written in the message. */
  at: Date;
}

/** Share of messages written by a small pool of returning citizens (multi-message conversations). */
const RETURNING_SHARE = 0.4;
const RETURNING_POOL = 200;
const UNSUPPORTED_SHARE = 0.02;
const PHOTO_SHARE = 0.03;

/**
 * Message `index` of a run: a pure function of its arguments (same seed → same citizens, topics
 * and texts), so runs are reproducible and the test can check what the hub will receive.
 */
export function buildSimulatedRequest(index: number, options: BuildOptions): SimulatedRequest {
  if (options.channels.length === 0) throw new Error('at least one channel is needed');
  const seed = hashSeed(String(options.seed));
  const rng = mulberry32(mix(seed, index));
  const citizen = rng() < RETURNING_SHARE ? Math.floor(rng() * RETURNING_POOL) : RETURNING_POOL + index;
  const person = citizenProfile(seed, citizen);
  const channel = channelFor(options.channels, person.topic.area, citizen);

  // Returning citizens mostly continue their conversation; newcomers open one.
  const isFollowUp = citizen < RETURNING_POOL && rng() < 0.65;
  const text = pick(rng, isFollowUp ? person.topic.followUps : person.topic.openings);
  const kind = rng();
  let content: Record<string, unknown>;
  if (kind < UNSUPPORTED_SHARE) {
    content = pick(rng, unsupportedContents);
  } else if (kind < UNSUPPORTED_SHARE + PHOTO_SHARE) {
    const photo = pick(rng, documentPhotos);
    content = {
      type: 'image',
      text: photo.caption,
      attachments: [{ url: `https://media.example.mx/sim/${citizen}/${photo.filename}`, filename: photo.filename, mimeType: photo.filename.endsWith('.png') ? 'image/png' : 'image/jpeg', size: 80_000 + Math.floor(rng() * 900_000) }],
    };
  } else {
    content = { type: 'text', text };
  }

  const messageId = `sim-${options.runId}-${index}`;
  const body = JSON.stringify({ type: 'message', id: messageId, timestamp: options.at.toISOString(), from: person.from, content });
  return {
    channelId: channel.id,
    path: `/webhooks/api/${encodeURIComponent(channel.id)}`,
    body,
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: `sha256=${createHmac('sha256', channel.secret).update(body, 'utf8').digest('hex')}`,
    },
    messageId,
    citizen,
    contentType: String(content['type']),
  };
}

interface CitizenProfile {
  from: { phone?: string; email?: string; name: string };
  topic: CitizenTopic;
}

function citizenProfile(seed: number, citizen: number): CitizenProfile {
  const rng = mulberry32(mix(seed ^ 0x5bd1e995, citizen));
  const given = pick(rng, givenNames);
  const first = pick(rng, surnames);
  const second = pick(rng, surnames);
  const name = `${given} ${first} ${second}`;
  const areaCode = pick(rng, areaCodes);
  let subscriber = String(2 + Math.floor(rng() * 8));
  while (areaCode.length + subscriber.length < 10) subscriber += String(Math.floor(rng() * 10));
  const phone = `+52${areaCode}${subscriber}`;
  const emailUser = `${ascii(given.split(' ')[0] ?? given)}.${ascii(first)}${Math.floor(rng() * 90) + 10}`;
  const email = `${emailUser}@${pick(rng, emailDomains)}`;
  const channelKind = rng();
  // Mostly WhatsApp-like phone contacts; some write from e-mail only, a few give both.
  const from = channelKind < 0.75 ? { phone, name } : channelKind < 0.92 ? { email, name } : { phone, email, name };
  return { from, topic: pick(rng, citizenTopics) };
}

function channelFor(channels: readonly SimChannel[], area: CitizenArea, citizen: number): SimChannel {
  const matching = channels.filter((c) => campaignArea(c.campaign) === area);
  const pool = matching.length > 0 ? matching : channels;
  const channel = pool[citizen % pool.length];
  if (!channel) throw new Error('no channel');
  return channel;
}

function campaignArea(campaign: string): CitizenArea | undefined {
  const name = ascii(campaign);
  if (/derechohab|asegurad|medic|pension|salud/.test(name)) return 'derechohabiente';
  if (/contribuy|patron|empresa|fiscal|tribut/.test(name)) return 'contribuyente';
  return undefined;
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}


// ---------------------------------------------------------------------------------------------
// Runner

/** data/demo.json, written by `npm run demo`. */
function parseDemoFile(json: unknown): { url: string | undefined; channels: SimChannel[] } {
  const problem = (what: string) => new UsageError(`not a demo file: ${what}`);
  if (typeof json !== 'object' || json === null) throw problem('not a JSON object');
  const url = 'url' in json && typeof json.url === 'string' && json.url ? json.url : undefined;
  const list: unknown[] = 'channels' in json && Array.isArray(json.channels) ? json.channels : [];
  const channels = list.map((item, i): SimChannel => {
    const field = (name: string): string => {
      const value: unknown = typeof item === 'object' && item !== null ? Reflect.get(item, name) : undefined;
      if (typeof value !== 'string') throw problem(`channels.${i}.${name} must be a string`);
      return value;
    };
    return { id: field('id'), campaign: field('campaign'), secret: field('secret') };
  });
  if (channels.length === 0) throw problem('no channels');
  return { url, channels };
}

interface RunOptions {
  url: string;
  channels: SimChannel[];
  rate: number;
  duration: number;
  count: number;
  concurrency: number;
  timeoutMs: number;
  seed: string;
  json: boolean;
}

const USAGE = `Usage: npm run simulate -- [--rate 50] [--duration 30] [--seed 1]
  [--url http://127.0.0.1:3000] [--channel <id> --secret <s>] [--demo-file data/demo.json]
  [--count N] [--concurrency 256] [--timeout-ms 10000] [--allow-remote] [--json]`;

async function readOptions(argv: string[]): Promise<RunOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      channel: { type: 'string' },
      secret: { type: 'string' },
      'demo-file': { type: 'string' },
      rate: { type: 'string', default: '50' },
      duration: { type: 'string', default: '30' },
      count: { type: 'string' },
      concurrency: { type: 'string', default: '256' },
      'timeout-ms': { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      'allow-remote': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const rate = positive('--rate', values.rate, 20_000);
  const duration = positive('--duration', values.duration, 3_600);
  const count = values.count === undefined ? Math.max(1, Math.round(rate * duration)) : Math.floor(positive('--count', values.count, 10_000_000));

  let channels: SimChannel[];
  let demoUrl: string | undefined;
  if (values.channel !== undefined || values.secret !== undefined) {
    if (!values.channel || !values.secret) throw new UsageError('--channel and --secret go together');
    channels = [{ id: values.channel, campaign: '', secret: values.secret }];
  } else {
    const file = resolve(values['demo-file'] ?? resolve(process.env['DATA_DIR'] ?? 'data', 'demo.json'));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`${file} not found: start the demo first (npm run demo) or pass --channel <id> --secret <s>`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UsageError(`${file} is not valid JSON`);
    }
    const demo = parseDemoFile(json);
    channels = demo.channels;
    demoUrl = demo.url;
  }

  const url = (values.url ?? demoUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  if (!values['allow-remote'] && !isLoopback(parsed.hostname)) {
    throw new UsageError(`refusing to send traffic to ${parsed.hostname}: not a loopback address (pass --allow-remote if you mean it)`);
  }
  return {
    url,
    channels,
    rate,
    duration,
    count,
    concurrency: Math.floor(positive('--concurrency', values.concurrency, 10_000)),
    timeoutMs: Math.floor(positive('--timeout-ms', values['timeout-ms'], 120_000)),
    seed: values.seed,
    json: values.json,
  };
}

class UsageError extends Error {}

function positive(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new UsageError(`${name} must be a number in (0, ${max}]`);
  return value;
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export interface RunSummary {
  sent: number;
  ok: number;
  nonOk: Record<string, number>;
  /** Time spent sending; the achieved rate is measured over it. */
  sendSeconds: number;
  /** Until the last answer arrived. */
  elapsedSeconds: number;
  achievedRate: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

async function run(options: RunOptions): Promise<RunSummary> {
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const latencies: number[] = [];
  const nonOk: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let inFlight = 0;
  let stopped = false;
  const onSignal = () => {
    stopped = true;
  };
  process.once('SIGINT', onSignal);

  const post = async (index: number) => {
    const request = buildSimulatedRequest(index, { seed: options.seed, runId, channels: options.channels, at: new Date() });
    const started = performance.now();
    try {
      const response = await fetch(options.url + request.path, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status === 200) ok++;
      else nonOk[String(response.status)] = (nonOk[String(response.status)] ?? 0) + 1;
    } catch (error) {
      const code = error instanceof Error ? ((error.cause instanceof Error && 'code' in error.cause ? String(error.cause.code) : '') || error.name) : 'error';
      nonOk[`error:${code}`] = (nonOk[`error:${code}`] ?? 0) + 1;
    } finally {
      inFlight--;
    }
  };

  // Token bucket: `rate` tokens per second, bursts of at most 100 ms worth (so a stalled event
  // loop catches up a little without flooding), bounded in count and in time.
  const capacity = Math.max(2, Math.ceil(options.rate / 10));
  const started = performance.now();
  const deadline = started + options.duration * 1000;
  let tokens = 1;
  let last = started;
  const pending = new Set<Promise<void>>();
  while (!stopped && sent < options.count) {
    const now = performance.now();
    if (now >= deadline) break;
    tokens = Math.min(capacity, tokens + ((now - last) / 1000) * options.rate);
    last = now;
    if (tokens >= 1 && inFlight < options.concurrency) {
      tokens -= 1;
      inFlight++;
      const task = post(sent++);
      pending.add(task);
      void task.finally(() => pending.delete(task));
      continue;
    }
    const waitMs = tokens >= 1 ? 1 : Math.max(1, ((1 - tokens) / options.rate) * 1000);
    await new Promise((done) => setTimeout(done, waitMs));
  }
  const sendSeconds = (performance.now() - started) / 1000;
  await Promise.allSettled([...pending]);
  process.off('SIGINT', onSignal);

  latencies.sort((a, b) => a - b);
  return {
    sent,
    ok,
    nonOk,
    sendSeconds,
    elapsedSeconds: (performance.now() - started) / 1000,
    achievedRate: sent / sendSeconds,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0 },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function printSummary(options: RunOptions, summary: RunSummary): void {
  if (options.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const round = (n: number) => n.toFixed(1);
  const lines = [
    `Simulación terminada / simulation finished → ${options.url} (${options.channels.length} channel(s), seed ${options.seed})`,
    `  sent            ${summary.sent} in ${round(summary.sendSeconds)} s (target ${options.rate}/s, achieved ${round(summary.achievedRate)}/s); last answer after ${round(summary.elapsedSeconds)} s`,
    `  200 OK          ${summary.ok}`,
    ...Object.entries(summary.nonOk).map(([status, n]) => `  ${status.padEnd(16)}${n}`),
    `  ack latency ms  p50 ${round(summary.latencyMs.p50)}  p95 ${round(summary.latencyMs.p95)}  p99 ${round(summary.latencyMs.p99)}  max ${round(summary.latencyMs.max)}`,
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  try {
    const options = await readOptions(process.argv.slice(2));
    if (!options.json) {
      console.log(`Enviando ~${options.count} mensajes a ${options.rate}/s durante ≤${options.duration} s / sending to ${options.url}`);
    }
    const summary = await run(options);
    printSummary(options, summary);
    if (summary.ok !== summary.sent) process.exitCode = 1;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`simulate: ${error.message}\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
