import { randomBytes } from 'node:crypto';
import { helloAtRate, type HelloAtRateResult } from '../whatsapp/hello-at-rate.js';
import { buildWhatsAppPosts } from '../whatsapp/whatsapp-posts.js';

export type HelloBaseline = HelloAtRateResult;

/**
 * SPEC §8's raw baseline for this run: a Fastify hello-world in its own process, offered the
 * run's expected request rate (open loop, same keep-alive client as the webhook benchmarks) with
 * bodies the size of a WhatsApp webhook, before the hub starts so nothing of ours competes.
 */
export async function runHelloBaseline(input: { rate: number; seconds: number; logFile: string }): Promise<HelloBaseline> {
  const posts = buildWhatsAppPosts({
    runId: randomBytes(3).toString('hex'),
    phase: 'hello',
    count: input.rate * input.seconds,
    citizenOffset: 0,
    channelId: 'baseline',
    phoneNumberId: '106540352240000',
    appSecret: randomBytes(16).toString('hex'),
    seed: 11,
  });
  return helloAtRate({ posts, rate: input.rate, connections: 64, logFile: input.logFile });
}
