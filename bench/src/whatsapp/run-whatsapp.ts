import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '@ventanilla/hub';
import type { BenchScope, StoppableChild } from '../bench-main.js';
import { fastifyHelloBaseline, type BaselineResult } from '../ingest/baselines.js';
import { DATABASE_URL } from '../router-db/run-env.js';
import { runApiAloneAckPhase, type ApiAloneAckResult } from './api-alone-phase.js';
import { startGraphDouble } from './graph-double.js';
import { helloAtRate, type HelloAtRateResult } from './hello-at-rate.js';
import type { WhatsAppBenchOptions } from './options.js';
import { openReplyConversations } from './reply-conversations.js';
import { runSendRatePhase, type SendRateResult } from './send-rate-phase.js';
import { runWebhookAckPhase, type WebhookAckResult } from './webhook-ack-phase.js';
import { prepareWhatsAppFixtures } from './whatsapp-fixtures.js';
import { startWhatsAppHub } from './whatsapp-hub.js';
import { benchWamidPrefix, buildWhatsAppPosts } from './whatsapp-posts.js';

export type WhatsAppBenchSettings = Pick<WhatsAppBenchOptions, 'rate' | 'seconds' | 'connections' | 'baselineSeconds' | 'replies' | 'paces'>;

/** The figures of one run; a part that failed is null (its error is in the report's errors). */
export interface WhatsAppBenchResult {
  settings: WhatsAppBenchSettings;
  helloAtRate: HelloAtRateResult | null;
  helloCapacity: BaselineResult | null;
  /** SPEC §8's acknowledgement figure: the API process alone, the worker started after the load. */
  apiAlone: ApiAloneAckResult | null;
  /** The same load with the worker ingesting at the same time ("with storage"). */
  webhook: WebhookAckResult | null;
  sends: Array<SendRateResult | null>;
}

/**
 * One run, in order: the Graph double and the fixtures; the baselines (before the hub starts, so
 * nothing of ours competes for the CPU); the hub's API process and the "API alone" webhook
 * phase; the worker, which drains that phase's backlog; the webhook phase "with storage" (API +
 * worker); one outbound phase per pace, each on its own channel.
 */
export async function runWhatsAppBench(input: {
  settings: WhatsAppBenchSettings;
  /** The run's hub environment (runEnvironment): its schema and Redis prefix are dropped by the caller. */
  env: Record<string, string>;
  config: Config;
  logLevel: string;
  logFile: string;
  scope: Pick<BenchScope<StoppableChild>, 'log' | 'children' | 'attempt'>;
}): Promise<WhatsAppBenchResult> {
  const { settings, config, scope } = input;
  const { log, attempt } = scope;
  const runId = randomBytes(3).toString('hex');
  const graph = await startGraphDouble();
  const verify = new pg.Pool({ connectionString: DATABASE_URL, max: 2, options: `-c search_path=${config.DATABASE_SCHEMA}` });
  try {
    const fixtures = await prepareWhatsAppFixtures(config, graph, settings.paces);
    const { ackChannel, appSecret } = fixtures;
    const build = (phase: string, count: number, citizenOffset: number) =>
      buildWhatsAppPosts({ runId, phase, count, citizenOffset, channelId: ackChannel.id, phoneNumberId: ackChannel.phoneNumberId, appSecret, seed: 5 });
    const warmup = build('w', settings.rate * 2, 0);
    const posts = build('a', settings.rate * settings.seconds, 100_000);
    // Citizens of their own (far from the other phases' offsets): each post is a new contact.
    const aloneWarmup = build('uw', settings.rate, 4_000_000);
    const alonePosts = build('u', settings.rate * settings.seconds, 5_000_000);
    log(`schema ${config.DATABASE_SCHEMA}; 2 × ${posts.length} signed webhooks from as many citizens; Graph double at ${graph.baseUrl}`);

    log(`baseline: Fastify hello-world at ${settings.rate}/s for ${settings.seconds} s`);
    const hello = await attempt('hello at rate', () => helloAtRate({ posts, rate: settings.rate, connections: settings.connections, logFile: input.logFile }));
    const capacity =
      settings.baselineSeconds > 0
        ? await attempt('hello capacity', () => fastifyHelloBaseline({ posts, concurrency: settings.connections, seconds: settings.baselineSeconds, logFile: input.logFile }))
        : null;

    const hub = await startWhatsAppHub({ env: input.env, logLevel: input.logLevel, logFile: input.logFile, children: scope.children });
    log(`hub: api pid ${hub.api.pid} at ${hub.url}, no worker yet`);
    log(`webhook, API alone: ${settings.rate}/s for ${settings.seconds} s (after a 1 s warm-up at the same rate), then the worker starts and drains`);
    const apiAlone = await attempt('webhook (API alone)', () =>
      runApiAloneAckPhase({ api: hub.api, startWorker: hub.worker, verify, channelId: ackChannel.id, rate: settings.rate, connections: settings.connections, warmup: aloneWarmup, posts: alonePosts, wamidPrefix: benchWamidPrefix(runId, 'u'), warmupWamidPrefix: benchWamidPrefix(runId, 'uw') }),
    );
    if (apiAlone) log(`  ack p50/p99 ${apiAlone.latencyMs.p50.toFixed(1)}/${apiAlone.latencyMs.p99.toFixed(1)} ms, ${apiAlone.errors} errors; worker stored ${apiAlone.stored.rows}/${apiAlone.stored.acked} in ${apiAlone.stored.drainSeconds.toFixed(1)} s`);

    const worker = await hub.worker();
    log(`hub: worker pid ${worker.pid}`);
    log(`webhook, with storage: ${settings.rate}/s for ${settings.seconds} s (after a 2 s warm-up at the same rate)`);
    const webhook = await attempt('webhook (with storage)', () =>
      runWebhookAckPhase({ api: hub.api, worker, verify, channelId: ackChannel.id, rate: settings.rate, connections: settings.connections, warmup, posts, wamidPrefix: benchWamidPrefix(runId, 'a'), warmupWamidPrefix: benchWamidPrefix(runId, 'w') }),
    );
    if (webhook) log(`  ack p50/p99 ${webhook.latencyMs.p50.toFixed(1)}/${webhook.latencyMs.p99.toFixed(1)} ms, ${webhook.errors} errors; stored ${webhook.stored.rows}/${webhook.stored.acked} in ${webhook.stored.drainSeconds.toFixed(1)} s`);

    const sends: Array<SendRateResult | null> = [];
    for (const [i, channel] of fixtures.sendChannels.entries()) {
      const label = `sends ${channel.pace ?? 'default'}/s`;
      log(`${label}: opening ${settings.replies} conversations, then ${settings.replies} replies`);
      sends.push(
        await attempt(label, async () => {
          const conversationIds = await openReplyConversations({ apiUrl: hub.url, verify, runId, phase: `c${i}`, channel, appSecret, count: settings.replies, citizenOffset: 1_000_000 + i * 100_000 });
          return runSendRatePhase({ phase: i, apiUrl: hub.url, agentToken: fixtures.agentToken, channel, conversationIds, graph, worker });
        }),
      );
      const last = sends[sends.length - 1];
      if (last) log(`  ${last.achievedPerSecond.toFixed(1)}/s achieved, max ${last.maxInAnySecond} in 1 s (limit ${last.limitPerSecond}), e2e p50/p99 ${last.endToEndMs.p50.toFixed(0)}/${last.endToEndMs.p99.toFixed(0)} ms; ${last.stored} replies stored ${JSON.stringify(last.replyErrors)}`);
    }
    return { settings, helloAtRate: hello, helloCapacity: capacity, apiAlone, webhook, sends };
  } finally {
    await verify.end().catch(() => undefined);
    await graph.stop();
  }
}
