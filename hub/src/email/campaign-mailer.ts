import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { messageIdDomainOf } from '@ventanilla/connectors';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import { loadEmailChannel } from './email-channel.js';

export interface CampaignEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer | string; contentType: string }[];
}

/**
 * Mail the hub itself sends for a campaign outside any conversation (the web chat transcript):
 * through the SMTP server of the campaign's first enabled e-mail channel, From its address.
 * Marked `Auto-Submitted: auto-generated` (RFC 3834) so no auto-responder answers it.
 */
export async function sendCampaignEmail(ctx: Pick<HubContext, 'db' | 'channels'>, campaignId: string, mail: CampaignEmail): Promise<{ messageId: string }> {
  const rows = await ctx.db.kysely
    .selectFrom('channels')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('kind', '=', 'email')
    .where('enabled', '=', true)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  let email = null;
  for (const row of rows) {
    email = await loadEmailChannel(ctx, row.id);
    if (email) break;
  }
  if (!email) throw new HubError('HUB_ERR_EMAIL_CHANNEL_MISSING');
  const { settings, channel } = email;
  const messageId = `<${randomUUID()}@${messageIdDomainOf(settings)}>`;
  const transport = createTransport({
    host: settings.smtp.host,
    port: settings.smtp.port,
    secure: settings.smtp.secure,
    ...(settings.smtp.user ? { auth: { user: settings.smtp.user, pass: channel.secrets['smtpPassword'] ?? '' } } : {}),
    tls: { rejectUnauthorized: settings.smtp.rejectUnauthorized },
    connectionTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: settings.displayName ? { name: settings.displayName, address: settings.address } : settings.address,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.attachments ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) } : {}),
      messageId,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HubError('HUB_ERR_EMAIL_SEND_FAILED', undefined, { reason: reason.slice(0, 500) });
  } finally {
    transport.close();
  }
  return { messageId };
}
