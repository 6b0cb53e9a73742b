import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '@ventanilla/connectors/core';
import { autoAcknowledge } from '../../hub/src/email/auto-ack.usecase.js';
import { citizenMessageId, dsnMail, rawMail, startEmailHarness, waitFor, type EmailCampaign, type EmailHarness } from './email-harness.js';

/**
 * Issue 5 item 9: a mail that opens a conversation is acknowledged with its folio over SMTP —
 * never an auto-reply, bulk or list mail, nor a bounce, nor a reply into an existing
 * conversation — and the acknowledgement itself says it is automatic so responders don't loop.
 */
describe('e-mail auto-acknowledgement', () => {
  let h: EmailHarness;
  let acking: EmailCampaign;

  beforeAll(async () => {
    h = await startEmailHarness({ autoAck: true });
    acking = h.campaign;
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  const ackCount = async (conversationId: string) =>
    (await h.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).where('sender_type', '=', 'system').execute()).length;

  /** Outbound work finished: nothing pending, queue empty. */
  async function outboundIdle(): Promise<void> {
    await waitFor(async () => {
      const counts = await h.hub.ctx.queues.outbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const inbound = await h.hub.ctx.queues.inbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return [...Object.values(counts), ...Object.values(inbound)].every((n) => n === 0);
    }, 'queues idle');
  }

  async function deliverAndStore(c: EmailCampaign, input: { from: string; subject: string; text: string; headers?: Record<string, string>; inReplyTo?: string }) {
    const messageId = citizenMessageId();
    await h.deliver(rawMail({ to: c.address, messageId, ...input }), c);
    await h.read(c);
    return { messageId, stored: await h.waitForMessage(messageId) };
  }

  it('acknowledges a new mail with its folio, threaded to it and marked as automatic', async () => {
    const { messageId, stored } = await deliverAndStore(acking, { from: 'Julia Pérez <julia@correo.ciudadano.test>', subject: 'Solicitud de constancia', text: 'Necesito una constancia de no adeudo.' });
    const ack = await h.smtp.waitFor((m) => m.to.includes('julia@correo.ciudadano.test'));
    expect(ack.parsed.subject).toContain(`[${stored.folio}]`);
    expect(ack.parsed.subject).toContain('Solicitud de constancia');
    expect(ack.parsed.text).toContain(stored.folio);
    expect(ack.header('auto-submitted')).toBe('auto-replied');
    expect(ack.header('in-reply-to')).toBe(messageId);
    expect(ack.parsed.from?.value[0]?.address).toBe(acking.address);

    const system = await h.db.selectFrom('messages').select(['status', 'meta', 'provider_message_id']).where('conversation_id', '=', stored.conversationId).where('sender_type', '=', 'system').execute();
    expect(system).toHaveLength(1);
    expect(system[0]?.meta).toMatchObject({ autoAck: true });
    await waitFor(async () => (await h.db.selectFrom('messages').select('status').where('conversation_id', '=', stored.conversationId).where('sender_type', '=', 'system').executeTakeFirst())?.status === 'sent', 'ack sent');

    // The citizen writes again into the open conversation: no second acknowledgement.
    const again = await deliverAndStore(acking, { from: 'julia@correo.ciudadano.test', subject: `Re: Solicitud de constancia [${stored.folio}]`, text: 'Olvidé mi RFC', inReplyTo: ack.header('message-id') });
    expect(again.stored.conversationId).toBe(stored.conversationId);
    await outboundIdle();
    expect(await ackCount(stored.conversationId)).toBe(1);
    expect(h.smtp.messages.filter((m) => m.to.includes('julia@correo.ciudadano.test'))).toHaveLength(1);
  });

  it.each([
    ['an auto-reply', { 'Auto-Submitted': 'auto-replied' }],
    ['an out-of-office notice', { 'X-Autoreply': 'yes' }],
    ['list mail', { 'List-Id': '<avisos.lista.test>' }],
    ['bulk mail', { Precedence: 'bulk' }],
  ])('does not acknowledge %s', async (_label, headers) => {
    const from = `auto-${Object.keys(headers)[0]!.toLowerCase()}@correo.ciudadano.test`;
    const { stored } = await deliverAndStore(acking, { from, subject: 'Respuesta automática', text: 'Estoy fuera de la oficina', headers });
    expect(stored.meta?.['automated']).toBeTruthy();
    await outboundIdle();
    expect(await ackCount(stored.conversationId)).toBe(0);
    expect(h.smtp.messages.filter((m) => m.to.includes(from))).toHaveLength(0);
  });

  it('does not acknowledge a bounce it cannot match; the agent still sees it', async () => {
    const messageId = citizenMessageId();
    await h.deliver(dsnMail({ to: acking.address, originalMessageId: '<desconocido@otro.test>', recipient: 'nadie@correo.ciudadano.test', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown', messageId }), acking);
    await h.read(acking);
    const stored = await h.waitForMessage(messageId);
    expect(stored.meta?.['automated']).toBe('bounce');
    await outboundIdle();
    expect(await ackCount(stored.conversationId)).toBe(0);
    expect(h.smtp.messages.filter((m) => m.to.some((to) => to.toLowerCase().startsWith('mailer-daemon')))).toHaveLength(0);
  });

  it('does not acknowledge a reply that reopens a resolved conversation', async () => {
    const { stored } = await deliverAndStore(acking, { from: 'tomas@correo.ciudadano.test', subject: 'Pago de predial', text: '¿Dónde pago?' });
    await h.smtp.waitFor((m) => m.to.includes('tomas@correo.ciudadano.test'));
    await outboundIdle();
    await h.db.updateTable('conversations').set({ status: 'resolved', closed_at: new Date() }).where('id', '=', stored.conversationId).execute();
    const reply = await deliverAndStore(acking, { from: 'tomas@correo.ciudadano.test', subject: `Re: Pago de predial [${stored.folio}]`, text: 'Sigo sin poder pagar' });
    expect(reply.stored.conversationId).toBe(stored.conversationId);
    await outboundIdle();
    expect(await ackCount(stored.conversationId)).toBe(1);
  });

  it('sends nothing when the channel has acknowledgements turned off', async () => {
    const quiet = await h.addCampaign({ autoAck: false });
    const { stored } = await deliverAndStore(quiet, { from: 'elena@correo.ciudadano.test', subject: 'Consulta', text: 'Hola' });
    await outboundIdle();
    expect(await ackCount(stored.conversationId)).toBe(0);
  });

  it('stores at most one acknowledgement per conversation when the job runs again', async () => {
    const { stored, messageId } = await deliverAndStore(acking, { from: 'ramon@correo.ciudadano.test', subject: 'Licencia', text: 'Renovación' });
    await h.smtp.waitFor((m) => m.to.includes('ramon@correo.ciudadano.test'));
    const channel = await h.hub.ctx.channels.get(acking.channelId);
    const event = {
      type: 'message' as const,
      providerMessageId: messageId,
      occurredAt: new Date().toISOString(),
      contact: { email: 'ramon@correo.ciudadano.test' },
      content: { type: 'text' as const, text: 'Renovación' },
      email: { subject: 'Licencia', messageId, references: [], from: 'ramon@correo.ciudadano.test', to: [acking.address], cc: [] },
    };
    const result = { outcome: 'stored' as const, conversationId: stored.conversationId, folio: stored.folio, messageId: stored.id, newConversation: true, reopened: false, outbox: [] };
    expect(channel?.adapter).toBe(adapterFor('email'));
    expect(await autoAcknowledge(h.hub.ctx, channel!, event, result)).toBe('already_sent');
    await outboundIdle();
    expect(await ackCount(stored.conversationId)).toBe(1);
  });
});
