import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The `ventanilla_*` series of issue 12 item 7: every BullMQ queue, the router and each connector.
 * Labels are low-cardinality by construction: queue names, channel kinds, campaign slugs, routing
 * queue names, fixed outcomes. Never a folio, contact, message or any other id (a label per
 * conversation would grow the registry without bound); those go in the logs (folio child loggers).
 */
export function createVentanillaMetrics(registry: Registry) {
  const registers = [registry];
  return {
    // Queues (collected on scrape: queue-gauges.ts; counted by worker events: worker-metrics.ts).
    queueJobs: new Gauge({
      name: 'ventanilla_queue_jobs',
      help: 'Jobs in a BullMQ queue by state (waiting, active, delayed, failed), read on scrape',
      labelNames: ['queue', 'state'] as const,
      registers,
    }),
    jobsCompleted: new Counter({
      name: 'ventanilla_queue_jobs_completed_total',
      help: 'Jobs this process completed, by queue',
      labelNames: ['queue'] as const,
      registers,
    }),
    jobsFailed: new Counter({
      name: 'ventanilla_queue_jobs_failed_total',
      help: 'Job attempts that failed in this process (retried or not), by queue',
      labelNames: ['queue'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'ventanilla_queue_job_duration_seconds',
      help: 'Processing time of one job attempt (processedOn → finishedOn), by queue',
      labelNames: ['queue'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    // Router.
    routingPasses: new Counter({
      name: 'ventanilla_router_passes_total',
      help: 'Routing passes this process ran (intake, snapshot, plan, claim)',
      registers,
    }),
    routingPassDuration: new Histogram({
      name: 'ventanilla_router_pass_duration_seconds',
      help: 'Duration of one routing pass',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    offers: new Counter({
      name: 'ventanilla_router_offers_total',
      help: 'Offers by campaign slug and outcome: offered, accepted, rejected, timed_out (RONA)',
      labelNames: ['campaign', 'outcome'] as const,
      registers,
    }),
    conversationsWaiting: new Gauge({
      name: 'ventanilla_router_conversations_waiting',
      help: 'Conversations waiting in line (status queued), by campaign slug and routing queue name; read on scrape',
      labelNames: ['campaign', 'queue'] as const,
      registers,
    }),
    longestWait: new Gauge({
      name: 'ventanilla_router_longest_wait_seconds',
      help: 'Longest current wait in line, by campaign slug and routing queue name; read on scrape',
      labelNames: ['campaign', 'queue'] as const,
      registers,
    }),
    // Connectors.
    webhooks: new Counter({
      name: 'ventanilla_connector_webhooks_total',
      help: 'Inbound webhooks by channel kind and outcome: accepted, bad_signature, bad_request',
      labelNames: ['channel_kind', 'outcome'] as const,
      registers,
    }),
    sends: new Counter({
      name: 'ventanilla_connector_sends_total',
      help: 'Outbound send attempts by channel kind and outcome: sent, failed, retried',
      labelNames: ['channel_kind', 'outcome'] as const,
      registers,
    }),
    sendLatency: new Histogram({
      name: 'ventanilla_connector_send_duration_seconds',
      help: "The provider call of one send (the adapter's send()), by channel kind",
      labelNames: ['channel_kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}

export type VentanillaMetrics = ReturnType<typeof createVentanillaMetrics>;
