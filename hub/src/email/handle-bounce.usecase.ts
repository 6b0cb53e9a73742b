import type { ParsedEmail } from '@ventanilla/connectors';
import { inboundJobId, type InboundJob } from '../queues/queues.js';
import type { HubContext } from '../runtime/context.js';
import { applyMassMailBounce, messageIdForms } from './apply-mass-mail-bounce.js';
import type { EmailChannel } from './email-channel.js';

type DsnReport = NonNullable<ParsedEmail['bounce']>;

/**
 * - `status`: it reports one of our conversation messages; a `failed` status was enqueued (the
 *   usual pipeline marks the message failed with the reason and tells the agent).
 * - `mass_mailing`: a recipient of a mass mailing was marked bounced (and maybe suppressed).
 * - `not_a_failure`: a known message, but the report says delayed/relayed/delivered: kept only
 *   as the original .eml.
 * - `unmatched`: nothing of ours; the caller stores it as an ordinary inbound message.
 */
export type BounceOutcome = 'status' | 'mass_mailing' | 'not_a_failure' | 'unmatched';

/** RFC 3464 §2.3.3: only `failed` means the message will not arrive. */
function isFailure(report: DsnReport): boolean {
  return report.action.toLowerCase() === 'failed' || (!report.action && report.permanent);
}

export async function handleBounce(ctx: Pick<HubContext, 'db' | 'queues' | 'logger'>, email: EmailChannel, report: DsnReport, occurredAt: string, requestId: string): Promise<BounceOutcome> {
  const original = report.originalMessageId;
  if (!original) return 'unmatched';
  const { channel } = email;
  const ours = await ctx.db.kysely
    .selectFrom('messages')
    .select(['id', 'provider_message_id'])
    .where('channel_id', '=', channel.row.id)
    .where('direction', '=', 'outbound')
    .where('provider_message_id', 'in', messageIdForms(original))
    .executeTakeFirst();
  const failure = isFailure(report);
  if (ours?.provider_message_id) {
    if (!failure) return 'not_a_failure';
    const job: InboundJob = {
      channelId: channel.row.id,
      event: {
        type: 'status',
        providerMessageId: ours.provider_message_id,
        occurredAt,
        status: 'failed',
        error: { code: (report.status ?? 'bounce').slice(0, 100), reason: (report.diagnostic ?? report.action).slice(0, 1000) },
      },
      receivedAt: Date.now(),
      requestId,
    };
    await ctx.queues.inbound.add('status', job, { jobId: inboundJobId(job) });
    return 'status';
  }
  if (!failure) return (await isMassMailing(ctx, channel.row.campaign_id, original)) ? 'not_a_failure' : 'unmatched';
  const mass = await applyMassMailBounce(ctx.db.kysely, channel.row.campaign_id, {
    originalMessageId: original,
    status: report.status ?? null,
    diagnostic: report.diagnostic ?? null,
    permanent: report.permanent,
  });
  if (mass.outcome === 'applied') {
    ctx.logger.info({ channelId: channel.row.id, mailingId: mass.mailingId, recipientId: mass.recipientId, suppressed: mass.suppressed }, 'mass mailing bounce applied');
    return 'mass_mailing';
  }
  return 'unmatched';
}

async function isMassMailing(ctx: Pick<HubContext, 'db'>, campaignId: string, messageId: string): Promise<boolean> {
  const row = await ctx.db.kysely
    .selectFrom('mass_mailing_recipients as r')
    .innerJoin('mass_mailings as m', 'm.id', 'r.mailing_id')
    .select('r.id')
    .where('r.message_id', 'in', messageIdForms(messageId))
    .where('m.campaign_id', '=', campaignId)
    .executeTakeFirst();
  return row !== undefined;
}
