import type { DeliveryOutcome } from '../outbound/deliver-message.usecase.js';
import type { HubContext } from '../runtime/context.js';
import { currentSpan } from './tracing.js';

const SEND_OUTCOMES = { sent: 'sent', failed: 'failed', retry: 'retried' } as const;

/**
 * One outbound attempt (outbound.worker.ts): the existing hub_ counter, the ventanilla_ counter and
 * the provider-call latency by channel kind, and the outbound log line of the conversation with its folio.
 */
export function recordOutboundSend(ctx: Pick<HubContext, 'metrics' | 'logger'>, messageId: string, result: DeliveryOutcome): void {
  const channelKind = result.channelKind ?? 'unknown';
  // The outbound.send span of this job (job-tracing.ts), when tracing is on.
  currentSpan()?.setAttributes({ 'ventanilla.folio': result.folio, 'ventanilla.channel.kind': channelKind, 'ventanilla.send.outcome': result.outcome });
  ctx.metrics.outboundSends.inc({ channel_kind: channelKind, outcome: result.outcome });
  if (result.outcome !== 'sent' && result.outcome !== 'failed' && result.outcome !== 'retry') return;
  ctx.metrics.vt.sends.inc({ channel_kind: channelKind, outcome: SEND_OUTCOMES[result.outcome] });
  if (result.sendSeconds !== undefined) ctx.metrics.vt.sendLatency.observe({ channel_kind: channelKind }, result.sendSeconds);
  if (!ctx.logger.isLevelEnabled('debug')) return;
  const log = ctx.logger.child({ ...(result.folio ? { folio: result.folio } : {}), messageId });
  log.debug({ channelKind, outcome: result.outcome }, 'outbound message delivered to the provider');
}
