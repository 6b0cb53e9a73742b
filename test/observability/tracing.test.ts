import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@ventanilla/hub';
import { startBotHarness, type BotHarness } from '../bots/bot-harness.js';
import { runtimeTestModel } from '../bots/test-model.js';
import { startChildHub } from '../support/child-hub.js';
import { dropNamespaces, testEnv } from '../support/test-context.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

const SPY = fileURLToPath(new URL('./otel-import-spy.mjs', import.meta.url));
const TRACING_MODULE = fileURLToPath(new URL('../../hub/src/observability/tracing.ts', import.meta.url));
const PHONE = '5512345678';
const TEXT = 'hola';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** Spans of `trace` once `name` arrived (the exporter sends in batches). */
async function spanNamed(receiver: OtlpReceiver, name: string, where: (s: ReceivedSpan) => boolean = () => true): Promise<ReceivedSpan> {
  await expect.poll(() => receiver.spans.some((s) => s.name === name && where(s)), { timeout: 20_000, interval: 100 }).toBe(true);
  return receiver.spans.find((s) => s.name === name && where(s))!;
}

/**
 * Issue 12 item 7, optional OpenTelemetry tracing: one citizen message through a real webhook is one
 * trace — HTTP request → webhook.receive → ingest → bot.turn → outbound.send — across three BullMQ
 * queues, exported as OTLP/JSON to a real HTTP receiver, with the folio and without the citizen's
 * phone number or words. Off, nothing is exported, no job carries a trace, and no OpenTelemetry
 * module is loaded at all.
 */
describe('observability: OpenTelemetry tracing', () => {
  describe('on (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
    let receiver: OtlpReceiver;
    let h: BotHarness;

    beforeAll(async () => {
      receiver = await startOtlpReceiver();
      // No router sweep during the test: the routing pass below is the one the plain channel's ingest kicks.
      h = await startBotHarness(runtimeTestModel(), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100', ROUTER_SWEEP_INTERVAL_MS: '60000', OTEL_SERVICE_NAME: 'ventanilla-test' });
    }, 60_000);

    afterAll(async () => {
      await h?.cleanup();
      await receiver?.close();
    });

    it('is one trace from the webhook to the outbound send, carrying the folio', async () => {
      expect(h.hub.ctx.tracing.enabled).toBe(true);
      await h.says(PHONE, 'trace-1', TEXT);
      const { id: conversationId, folio } = await h.conversationOf('trace-1');
      await h.waitForBotTexts(conversationId, 1);

      const send = await spanNamed(receiver, 'outbound.send', (s) => s.attributes['ventanilla.folio'] === folio);
      const trace = receiver.spans.filter((s) => s.traceId === send.traceId);
      const one = (name: string) => {
        const found = trace.filter((s) => s.name === name);
        expect(found, `${name} in the trace`).toHaveLength(1);
        return found[0]!;
      };
      const http = one('POST /webhooks/api/:channelId');
      const webhook = one('webhook.receive');
      const ingest = one('ingest');
      const turn = one('bot.turn');

      // Parent → child along the way, across the inbound, bot and outbound queues.
      expect(http.parentSpanId).toBeUndefined();
      expect(webhook.parentSpanId).toBe(http.spanId);
      expect(ingest.parentSpanId).toBe(webhook.spanId);
      expect(turn.parentSpanId).toBe(ingest.spanId);
      expect(send.parentSpanId).toBe(turn.spanId);

      expect(http.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/webhooks/api/:channelId', 'http.response.status_code': 200 });
      expect(webhook.attributes).toMatchObject({ 'ventanilla.channel.kind': 'api', 'ventanilla.channel.id': h.botChannel.id, 'ventanilla.campaign.id': h.campaignId });
      expect(ingest.attributes).toMatchObject({ 'ventanilla.folio': folio, 'ventanilla.channel.kind': 'api', 'ventanilla.campaign.id': h.campaignId, 'messaging.destination.name': 'inbound', 'ventanilla.ingest.outcome': 'stored' });
      expect(turn.attributes).toMatchObject({ 'ventanilla.folio': folio, 'messaging.destination.name': 'bot' });
      expect(send.attributes).toMatchObject({ 'ventanilla.folio': folio, 'messaging.destination.name': 'outbound', 'ventanilla.send.outcome': 'sent', 'ventanilla.channel.kind': 'api' });
      expect(send.resource['service.name']).toBe('ventanilla-test');

      // The job in Redis carries the webhook span as its W3C parent.
      const [job] = (await h.hub.ctx.queues.inbound.getJobs(['completed'])).filter((j) => j.data.event.type === 'message' && j.data.event.providerMessageId === 'trace-1');
      const carried = TRACEPARENT.exec((job?.data as { trace?: { traceparent?: string } } | undefined)?.trace?.traceparent ?? '');
      expect(carried?.slice(1)).toEqual([send.traceId, webhook.spanId]);
    });

    it('links the routing pass an ingest kicked to that ingest', async () => {
      await h.says('5598765432', 'trace-2', 'Necesito ayuda con un trámite', h.plainChannel);
      const { folio } = await h.conversationOf('trace-2');
      const ingest = await spanNamed(receiver, 'ingest', (s) => s.attributes['ventanilla.folio'] === folio);
      const pass = await spanNamed(receiver, 'router.pass', (s) => s.links.some((l) => l.traceId === ingest.traceId));
      expect(pass.links).toEqual([{ traceId: ingest.traceId, spanId: ingest.spanId }]);
      expect(pass.traceId).not.toBe(ingest.traceId);
      expect(pass.attributes['ventanilla.router.intake']).toBeGreaterThanOrEqual(1);
    });

    it('exports no phone number and no message text', () => {
      expect(receiver.bodies.length).toBeGreaterThan(0);
      const all = receiver.bodies.join('\n');
      for (const personal of [PHONE, '5598765432', 'Necesito ayuda', 'Hola, ¿en qué le puedo ayudar?']) expect(all).not.toContain(personal);
      const keys = new Set(receiver.spans.flatMap((s) => Object.keys(s.attributes)));
      for (const key of keys) expect(key).toMatch(/^(ventanilla|http|messaging|error)\./);
      // The bot's "hola" is a common word: no attribute value may be it.
      expect(receiver.spans.flatMap((s) => Object.values(s.attributes))).not.toContain(TEXT);
    });
  });

  describe('off', () => {
    let receiver: OtlpReceiver;
    let h: BotHarness;

    beforeAll(async () => {
      receiver = await startOtlpReceiver();
      // An endpoint is configured but tracing is turned off explicitly.
      h = await startBotHarness(runtimeTestModel(), { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_ENABLED: 'false', OTEL_BSP_SCHEDULE_DELAY: '100' });
    }, 60_000);

    afterAll(async () => {
      await h?.cleanup();
      await receiver?.close();
    });

    it('exports nothing and puts no trace context in jobs', async () => {
      expect(h.hub.ctx.tracing.enabled).toBe(false);
      await h.says(PHONE, 'off-1', TEXT);
      const { id } = await h.conversationOf('off-1');
      await h.waitForBotTexts(id, 1);
      const jobs = await h.hub.ctx.queues.inbound.getJobs(['completed']);
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) expect(Object.keys(job.data)).not.toContain('trace');
      // Well past the export delay a traced hub would have used.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(receiver.requests).toBe(0);
    });
  });

  describe('module loading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-spy-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const nodeOptions = `${process.env['NODE_OPTIONS'] ?? ''} --import=${SPY}`.trim();

    it('a hub process with tracing off loads no OpenTelemetry module', async () => {
      const spyFile = join(dir, 'off.txt');
      writeFileSync(spyFile, '');
      const env = testEnv({ HUB_ROLE: 'worker' });
      const child = await startChildHub({ ...env, NODE_OPTIONS: nodeOptions, OTEL_SPY_FILE: spyFile });
      try {
        expect(child.output()).toContain('"hub started"');
        expect(readFileSync(spyFile, 'utf8')).toBe('');
      } finally {
        // Its graceful stop is metrics-listener.test.ts's concern; here only what it loaded matters.
        await child.stop();
        await dropNamespaces(loadConfig(env));
      }
    }, 120_000);

    it('the spy sees the SDK load when tracing is turned on (control)', async () => {
      const spyFile = join(dir, 'on.txt');
      writeFileSync(spyFile, '');
      const script = `const m = await import(${JSON.stringify(TRACING_MODULE)});
const t = await m.createTracing({ OTEL_TRACES_ENABLED: true, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SERVICE_NAME: 'spy', OTEL_BSP_SCHEDULE_DELAY: 5000, HUB_ROLE: 'worker' }, { info() {}, warn() {} });
console.log(JSON.stringify({ enabled: t.enabled }));
await t.shutdown();`;
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: nodeOptions, OTEL_SPY_FILE: spyFile }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (exitCode) => resolve({ code: exitCode, output: out }));
      });
      expect(code, output).toBe(0);
      expect(output).toContain('{"enabled":true}');
      const loaded = readFileSync(spyFile, 'utf8');
      expect(loaded).toContain('/@opentelemetry/sdk-trace-base/');
      expect(loaded).toContain('/@opentelemetry/exporter-trace-otlp-http/');
    }, 60_000);
  });
});
