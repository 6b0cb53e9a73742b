import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { OfferTally } from '../../hub/src/observability/offer-tally.js';
import { folioOf, observeRouterEffects } from '../../hub/src/observability/router-observer.js';
import type { OutboxRow } from '../../hub/src/outbox/outbox.js';
import { sample } from './exposition.js';

const CAMPAIGN = '6f1c1f4e-1d0b-4c56-9a51-3f1e0c2b7a10';

function offered(autoAccepted: boolean): OutboxRow {
  return {
    id: '1',
    notification: {
      event: 'conversation.offered',
      rooms: [],
      data: {
        campaignId: CAMPAIGN,
        conversationId: 'c1',
        folio: 'TL-20261127-000001',
        offerId: 'o1',
        agentId: 'a1',
        queueId: 'q1',
        channelClass: 'text',
        expiresAt: new Date().toISOString(),
        autoAccepted,
      },
    },
  };
}

function routed(change: string): OutboxRow {
  return {
    id: '2',
    notification: {
      event: 'conversation.routed',
      rooms: [],
      data: { campaignId: CAMPAIGN, conversationId: 'c1', folio: 'TL-20261127-000001', status: 'queued', assigneeId: null, queueId: 'q1', change },
    },
  };
}

describe('offer tally and router observer', () => {
  it('counts offers by campaign slug only once the slug is known, and never twice', async () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'test_offers_total', help: 'x', labelNames: ['campaign', 'outcome'] as const, registers: [registry] });
    const tally = new OfferTally();
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const observe = observeRouterEffects({ offerTally: tally }, pino({ level: 'debug' }, sink));
    observe({ outbox: [offered(false), offered(true), routed('rona'), routed('rejected'), routed('transferred')] });

    await tally.flush(counter, async () => new Map());
    expect(await registry.metrics()).not.toContain('test_offers_total{');
    await tally.flush(counter, async (ids) => new Map(ids.map((id) => [id, 'tramites'])));
    const text = await registry.metrics();
    expect(sample(text, 'test_offers_total{campaign="tramites",outcome="offered"}')).toBe(2);
    expect(sample(text, 'test_offers_total{campaign="tramites",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'test_offers_total{campaign="tramites",outcome="timed_out"}')).toBe(1);
    expect(sample(text, 'test_offers_total{campaign="tramites",outcome="rejected"}')).toBe(1);
    await tally.flush(counter, async () => {
      throw new Error('nothing pending: not called');
    });
    expect(sample(await registry.metrics(), 'test_offers_total{campaign="tramites",outcome="offered"}')).toBe(2);

    // One router log line per change, each with the folio; a transfer is logged but not an offer outcome.
    expect(lines.map((l) => [l['folio'], l['change']])).toEqual([
      ['TL-20261127-000001', 'offered'],
      ['TL-20261127-000001', 'auto_accepted'],
      ['TL-20261127-000001', 'rona'],
      ['TL-20261127-000001', 'rejected'],
      ['TL-20261127-000001', 'transferred'],
    ]);
  });

  it('finds the folio of a bot turn in its outbox rows', () => {
    expect(folioOf([routed('released')])).toBe('TL-20261127-000001');
    expect(folioOf([])).toBeUndefined();
  });
});
