import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { messageBody, signedHeaders } from '../support/webhook.js';
import { sendAgentMessage } from '../../hub/src/outbound/send-agent-message.usecase.js';
import { loadPrincipal } from '../../hub/src/auth/load-principal.js';
import { outboundJobOptions, sweepPendingOutbound } from '../../hub/src/workers/outbound.worker.js';
import { startWorkers, type RunningWorkers } from '../../hub/src/workers/start-workers.js';
import { bullPrefix, QUEUE } from '../../hub/src/queues/queues.js';
import { createRedis } from '../../hub/src/runtime/redis.js';

/** A reply stored as pending is sent eventually, even when the step after its commit was lost. */
describe('pending reply sweep', () => {
  const config = testConfig({ HUB_ROLE: 'api', PORT: '0' });
  let hub: HubProcess;
  let server: Server;
  let workers: RunningWorkers | null = null;
  const received: string[] = [];
  let conversationId: string;
  let agentId: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push((JSON.parse(body) as { id: string }).id);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `prov-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db);
    const { channel, secret } = await createApiChannel(db, campaign.id, { callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb` });
    agentId = (await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] })).id;
    const body = messageBody({ id: 'sw-1', phone: '+52 55 2222 3333' });
    expect((await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(secret, body), body })).status).toBe(200);
    workers = startWorkers(hub.ctx);
    for (let i = 0; i < 100 && (await db.selectFrom('conversations').select('id').execute()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    conversationId = (await db.selectFrom('conversations').select('id').executeTakeFirstOrThrow()).id;
    await workers.stop();
    workers = null;
  });

  afterAll(async () => {
    await workers?.stop();
    await hub?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await dropNamespaces(config);
  });

  const status = async (id: string) => (await hub.ctx.db.kysely.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('enqueues a reply whose job was never added, and one whose job failed for good', async () => {
    const principal = await loadPrincipal(hub.ctx.db.kysely, agentId);
    // 1. Stored, but the process "died" before enqueueing: no job at all.
    const lost = await sendAgentMessage(hub.ctx.db.kysely, principal, conversationId, { text: 'respuesta sin trabajo' });
    // 2. Enqueued, but its last attempt threw (say PostgreSQL was down): the job is failed, the reply pending.
    const stuck = await sendAgentMessage(hub.ctx.db.kysely, principal, conversationId, { text: 'respuesta atorada' });
    await hub.ctx.queues.outbound.add('send', { messageId: stuck.message.id }, { ...outboundJobOptions(hub.ctx, stuck.message.id), attempts: 1 });
    const failing = new Worker(QUEUE.outbound, async () => {
      throw new Error('database unavailable');
    }, { connection: createRedis(config.REDIS_URL), prefix: bullPrefix(config.REDIS_PREFIX) });
    await expect.poll(async () => (await hub.ctx.queues.outbound.getJob(outboundJobOptions(hub.ctx, stuck.message.id).jobId))?.isFailed(), { timeout: 10_000 }).toBe(true);
    await failing.close();
    expect(await status(lost.message.id)).toBe('pending');
    expect(await status(stuck.message.id)).toBe('pending');

    workers = startWorkers(hub.ctx);
    expect(await sweepPendingOutbound(hub.ctx, 0)).toBe(2);
    await expect.poll(() => Promise.all([status(lost.message.id), status(stuck.message.id)]), { timeout: 10_000 }).toEqual(['sent', 'sent']);
    expect(received.filter((id) => id === lost.message.id || id === stuck.message.id).sort()).toEqual([lost.message.id, stuck.message.id].sort());
  });
});
