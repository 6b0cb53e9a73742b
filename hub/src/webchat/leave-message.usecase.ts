import { randomUUID } from 'node:crypto';
import { normalizeEmail, normalizePhone } from '../contacts/identity-normalize.js';
import { HubError } from '../errors/error-registry.js';
import type { HubContext } from '../runtime/context.js';
import type { CaptchaRegistry } from './captcha-registry.js';
import { enqueueInbound } from './send-visitor-message.usecase.js';
import type { WidgetChannel } from './widget-channel.js';
import { campaignEmailChannelId } from './widget-config.js';
import type { ParsedLeaveMessageRequest } from './widget-requests.schema.js';

export const LEAVE_MESSAGE_SUBJECT = 'Mensaje desde el chat web';

/**
 * Closed hours (issue 5 item 2): the visitor's message becomes an e-mail conversation of the
 * campaign, answered by e-mail — as if the citizen had written to its mailbox, so threading,
 * acknowledgement and replies are the e-mail channel's. The From is what the visitor typed, as an
 * e-mail's From is what its sender wrote: it decides where the answer goes, nothing more.
 */
export async function leaveMessage(
  ctx: HubContext,
  captchas: CaptchaRegistry,
  channel: WidgetChannel,
  body: ParsedLeaveMessageRequest,
  requestId: string,
): Promise<void> {
  if (!channel.settings.leaveMessage) throw new HubError('HUB_ERR_WIDGET_LEAVE_MESSAGE_DISABLED');
  const email = normalizeEmail(body.email);
  const problems = [
    ...(email ? [] : [{ path: 'email', message: 'Correo electrónico inválido / invalid e-mail address' }]),
    ...(body.phone !== undefined && !normalizePhone(body.phone) ? [{ path: 'phone', message: 'Número telefónico inválido / invalid phone number' }] : []),
  ];
  if (!email || problems.length > 0) {
    throw new HubError('HUB_ERR_VALIDATION', `Revise el formulario / check the form — ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  const emailChannelId = await campaignEmailChannelId(ctx.db.kysely, channel.row.campaign_id);
  if (!emailChannelId) throw new HubError('HUB_ERR_EMAIL_CHANNEL_MISSING');
  const captcha = channel.settings.captcha;
  if (!(await captchas[captcha.kind].verify(body.captcha, channel.row.id, captcha))) throw new HubError('HUB_ERR_WIDGET_CAPTCHA');

  const messageId = `<leave.${randomUUID()}@widget.local>`;
  const text = body.phone ? `${body.text}\n\n— ${body.name}, tel. ${body.phone}` : body.text;
  await enqueueInbound(ctx, {
    channelId: emailChannelId,
    event: {
      type: 'message',
      providerMessageId: messageId,
      occurredAt: new Date().toISOString(),
      contact: { email, name: body.name },
      content: { type: 'text', text },
      email: { subject: LEAVE_MESSAGE_SUBJECT, messageId, from: email, to: [], cc: [], references: [] },
    },
    receivedAt: Date.now(),
    requestId,
  });
}
