import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceRouter } from '../../hub/src/observability/router-tracing.js';
import { createTracing, currentSpan, noopTracing, runInSpan, type Tracing } from '../../hub/src/observability/tracing.js';
import type { OutboxRow } from '../../hub/src/outbox/outbox.js';
import type { RouterEffects } from '../../hub/src/router/usecases/router-effects.js';
import type { PassResult } from '../../hub/src/router/usecases/routing-pass.usecase.js';
import { startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

const CAMPAIGN = '6f1c1f4e-1d0b-4c56-9a51-3f1e0c2b7a10';
const FOLIO = 'TL-20261127-000001';

function offered(): OutboxRow {
  return {
    id: '1',
    notification: {
      event: 'conversation.offered',
      rooms: [],
      data: { campaignId: CAMPAIGN, conversationId: 'c1', folio: FOLIO, offerId: 'o1', agentId: 'a1', queueId: 'q1', channelClass: 'text', expiresAt: new Date().toISOString(), autoAccepted: false },
    },
  };
}

/** A router that only records its observers, so the test calls them as RouterService would. */
function fakeRouter() {
  const passes: ((result: PassResult, durationMs: number) => void)[] = [];
  const effects: ((effects: Pick<RouterEffects, 'outbox'>) => void)[] = [];
  /** Whether a span was current when each kick reached the router. */
  const kicks: boolean[] = [];
  return {
    passes,
    effects,
    kicks,
    kick: () => void kicks.push(currentSpan() !== undefined),
    onPass: (o: (typeof passes)[number]) => void passes.push(o),
    onEffects: (o: (typeof effects)[number]) => void effects.push(o),
  };
}

const PASS: PassResult = { intake: { queued: 2, closed: 0 }, planned: 1, claimed: [], waiting: 3, availableAgents: 0, outbox: [], timers: [], messageIds: [] };

describe('observability: router spans', () => {
  let receiver: OtlpReceiver;
  let tracing: Tracing;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    tracing = await createTracing(
      { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_ENABLED: undefined, OTEL_SERVICE_NAME: 'router-test', OTEL_BSP_SCHEDULE_DELAY: 50, HUB_ROLE: 'worker' },
      pino({ level: 'silent' }),
    );
  });

  afterAll(async () => {
    await tracing.shutdown();
    await receiver.close();
  });

  it('records a pass and its offer (folio, campaign, queue) linked to the span that kicked the router, outside that span', async () => {
    const router = fakeRouter();
    traceRouter(router, tracing);
    const kicker = tracing.startSpan('ingest', {});
    runInSpan(kicker, () => router.kick());
    kicker.end();
    // The router's drain runs outside the kicker's span, so what it enqueues does not join that trace.
    expect(router.kicks).toEqual([false]);
    for (const observe of router.effects) observe({ outbox: [offered()] });
    for (const observe of router.passes) observe(PASS, 12);
    await expect.poll(() => receiver.spans.map((s) => s.name).sort(), { timeout: 10_000, interval: 50 }).toEqual(['ingest', 'router.offer', 'router.pass']);
    const ingest = receiver.spans.find((s) => s.name === 'ingest')!;
    const offer = receiver.spans.find((s) => s.name === 'router.offer')!;
    const pass = receiver.spans.find((s) => s.name === 'router.pass')!;
    expect(offer.attributes).toEqual({ 'ventanilla.folio': FOLIO, 'ventanilla.campaign.id': CAMPAIGN, 'ventanilla.queue.id': 'q1', 'ventanilla.router.change': 'offered' });
    expect(pass.attributes).toEqual({ 'ventanilla.router.intake': 2, 'ventanilla.router.planned': 1, 'ventanilla.router.claimed': 0, 'ventanilla.router.waiting': 3 });
    for (const span of [offer, pass]) {
      expect(span.parentSpanId).toBeUndefined();
      expect(span.links).toEqual([{ traceId: ingest.traceId, spanId: ingest.spanId }]);
    }
  });

  it('observes nothing when tracing is off', () => {
    const router = fakeRouter();
    traceRouter(router, noopTracing);
    expect([router.passes.length, router.effects.length]).toEqual([0, 0]);
  });
});
