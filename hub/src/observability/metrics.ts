import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OfferTally } from './offer-tally.js';
import { createVentanillaMetrics } from './ventanilla-metrics.js';

/** One registry per hub context (tests run many in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hub_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'hub_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    ingestLatency: new Histogram({
      name: 'hub_ingest_latency_seconds',
      help: 'From webhook receipt to the message committed in PostgreSQL',
      labelNames: ['channel_kind'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    ingested: new Counter({
      name: 'hub_ingest_messages_total',
      help: 'Inbound messages processed by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    outboundSends: new Counter({
      name: 'hub_outbound_sends_total',
      help: 'Outbound send attempts by outcome',
      labelNames: ['channel_kind', 'outcome'] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'hub_queue_depth',
      help: 'Jobs in a queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
    routingPassDuration: new Histogram({
      name: 'hub_routing_pass_duration_seconds',
      help: 'One routing pass: intake, snapshot, plan and claim (router, issue 3)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    routingOffers: new Counter({
      name: 'hub_routing_offers_total',
      help: 'Routing decisions by outcome: claimed (offer made) or lost (the seat or conversation changed meanwhile)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: 'hub_outbox_unpublished',
      help: 'Outbox rows not yet published',
      registers: [registry],
    }),
    /** Issue 12 item 7: queues, router, connectors (ventanilla-metrics.ts). */
    vt: createVentanillaMetrics(registry),
    /** Offer outcomes by campaign id until a scrape turns the ids into slugs (offer-tally.ts). */
    offerTally: new OfferTally(),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
