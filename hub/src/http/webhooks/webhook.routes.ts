import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channelRegistry, DecodeError, type ChannelKind, type RawRequest } from '@ventanilla/connectors/core';
import { HubError } from '../../errors/error-registry.js';
import { inboundJobId, type InboundJob } from '../../queues/queues.js';
import type { HubContext } from '../../runtime/context.js';
import { currentSpan } from '../../observability/tracing.js';
import { RateLimitedError } from '../../webchat/rate-limiter.js';
import { WebhookGuard } from './webhook-guard.js';

/**
 * /webhooks/<kind>/:channelId for every registered channel kind. Order matters (SPEC §6):
 * verify the raw bytes, fail closed, then parse, then enqueue durably, then ack.
 */
export function webhookRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Signatures are computed over the exact bytes: keep the body raw in this scope.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    // An address sending forged webhooks is refused for the rest of the minute (webhook-guard.ts).
    const guard = new WebhookGuard(ctx.redis, ctx.config);
    app.addHook('onRequest', async (request) => guard.assertAllowed(request.ip));
    app.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    });

    const params = z.object({ channelId: z.string().max(64) });

    // Only providers that call us: the widget and IMAP mailboxes have ingress of their own.
    const webhookKinds = (Object.keys(channelRegistry) as ChannelKind[]).filter((kind) => channelRegistry[kind].ingress === 'webhook');
    for (const kind of webhookKinds) {
      const loadChannel = async (channelId: string) => {
        const channel = await ctx.channels.get(channelId);
        if (!channel || channel.kind !== kind || !channel.row.enabled) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND');
        return channel;
      };

      app.get(`/${kind}/:channelId`, { schema: { params, hide: true } }, async (request, reply) => {
        const channel = await loadChannel(request.params.channelId);
        const handshake = channel.adapter.handshake?.(toRaw(request, Buffer.alloc(0)), channel.settings, channel.secrets);
        if (!handshake) throw new HubError('HUB_ERR_NOT_FOUND');
        return reply.status(handshake.status).type(handshake.contentType).send(handshake.body);
      });

      app.post(
        `/${kind}/:channelId`,
        {
          schema: {
            params,
            tags: ['webhooks'],
            summary: `Inbound ${kind} webhook (signed)`,
            response: { 200: z.object({ received: z.number().int() }) },
          },
        },
        async (request, reply) => {
          const receivedAt = Date.now();
          const channel = await loadChannel(request.params.channelId);
          currentSpan()?.setAttributes({ 'ventanilla.channel.id': channel.row.id, 'ventanilla.campaign.id': channel.row.campaign_id });
          const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          const raw = toRaw(request, body);
          const verdict = channel.adapter.verifyRequest(raw, channel.settings, channel.secrets);
          if (!verdict.ok) {
            request.log.warn({ channelId: channel.row.id, reason: verdict.reason }, 'webhook rejected: signature');
            ctx.metrics.vt.webhooks.inc({ channel_kind: kind, outcome: 'bad_signature' });
            await guard.recordBadSignature(request.ip);
            throw new HubError('HUB_ERR_WEBHOOK_SIGNATURE');
          }
          let events;
          try {
            events = channel.adapter.decodeInbound(raw, channel.settings);
          } catch (error) {
            if (error instanceof DecodeError) {
              request.log.warn({ channelId: channel.row.id, issues: error.issues }, `webhook rejected: ${error.message}`);
              ctx.metrics.vt.webhooks.inc({ channel_kind: kind, outcome: 'bad_request' });
              throw new HubError('HUB_ERR_VALIDATION', `Cuerpo inválido / malformed body — ${[error.message, ...error.issues].join('; ')}`, error.issues);
            }
            throw error;
          }
          const jobs = events.map((event): InboundJob => ({ channelId: channel.row.id, event, receivedAt, requestId: request.id }));
          try {
            // add() for the usual single event: addBulk builds a pipeline that costs more CPU.
            const [only] = jobs;
            if (only && jobs.length === 1) await ctx.queues.inbound.add(only.event.type, only, { jobId: inboundJobId(only) });
            else await ctx.queues.inbound.addBulk(jobs.map((data) => ({ name: data.event.type, data, opts: { jobId: inboundJobId(data) } })));
          } catch (error) {
            // Not acknowledged, so the provider retries: nothing is lost.
            request.log.error({ err: error }, 'webhook: could not enqueue');
            throw new HubError('HUB_ERR_UNAVAILABLE', 'No se pudo encolar; reintente / could not enqueue, retry');
          }
          ctx.metrics.vt.webhooks.inc({ channel_kind: kind, outcome: 'accepted' });
          return reply.status(200).send({ received: jobs.length });
        },
      );
    }
  };
}

function toRaw(request: { method: string; url: string; headers: RawRequest['headers'] }, body: Buffer): RawRequest {
  return { method: request.method, url: request.url, headers: request.headers, body };
}
