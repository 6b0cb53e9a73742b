import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMassMailBounce } from '../../hub/src/email/apply-mass-mail-bounce.js';
import { signUnsubscribeToken } from '../../hub/src/mass-mail/unsubscribe-token.js';
import { citizenMessageId, dsnMail, rawMail, startEmailHarness, waitFor, type EmailHarness } from './email-harness.js';

/**
 * Issue 5 item 10 (DSN bounces) and the mass-mail bad-address list: a delivery failure report
 * read from the mailbox marks our message failed with the reason the agent sees, or marks a
 * mass-mailing recipient bounced and suppresses a hard-bounced address; a report we cannot
 * match is kept as an ordinary message.
 */
describe('e-mail bounces (DSN)', () => {
  let h: EmailHarness;

  beforeAll(async () => {
    h = await startEmailHarness({ autoAck: false });
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  async function massRecipient(email: string) {
    const mailing = await h.db
      .insertInto('mass_mailings')
      .values({ campaign_id: h.campaign.campaignId, channel_id: h.campaign.channelId, name: 'Aviso de pago', subject: 'Aviso', body_text: 'Su pago vence pronto' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const recipient = await h.db.insertInto('mass_mailing_recipients').values({ mailing_id: mailing.id, email, status: 'sent', sent_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    const messageId = `<mm.${recipient.id}@ventanilla.test>`;
    await h.db.updateTable('mass_mailing_recipients').set({ message_id: messageId }).where('id', '=', recipient.id).execute();
    return { id: recipient.id, mailingId: mailing.id, messageId };
  }

  const recipientRow = (id: string) => h.db.selectFrom('mass_mailing_recipients').select(['status', 'error', 'failed_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const suppression = (email: string) => h.db.selectFrom('email_suppressions').select(['reason', 'detail']).where('campaign_id', '=', h.campaign.campaignId).where('email', '=', email).executeTakeFirst();

  it('marks the agent’s reply failed with the reason when its bounce arrives', async () => {
    const messageId = citizenMessageId();
    await h.deliver(rawMail({ from: 'mal.escrito@correo.ciudadano.test', to: h.campaign.address, subject: 'Consulta', text: 'Hola', messageId }));
    await h.read();
    const stored = await h.waitForMessage(messageId);
    const res = await h.api('POST', `/conversations/${stored.conversationId}/messages`, { text: 'Le respondemos su consulta.' });
    expect(res.status).toBe(202);
    const sent = await h.smtp.waitFor((m) => m.to.includes('mal.escrito@correo.ciudadano.test'));
    const ourId = sent.header('message-id')!;
    await waitFor(async () => (await h.db.selectFrom('messages').select('status').where('provider_message_id', '=', ourId).executeTakeFirst())?.status === 'sent', 'reply sent');

    await h.deliver(dsnMail({ to: h.campaign.address, originalMessageId: ourId, recipient: 'mal.escrito@correo.ciudadano.test', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <mal.escrito@correo.ciudadano.test>: Recipient address rejected: User unknown' }));
    expect((await h.read()).outcomes).toEqual({ status: 1 });
    await waitFor(async () => (await h.db.selectFrom('messages').select('status').where('provider_message_id', '=', ourId).executeTakeFirst())?.status === 'failed', 'reply marked failed');
    const failed = await h.db.selectFrom('messages').select(['error_code', 'error_reason', 'conversation_id']).where('provider_message_id', '=', ourId).executeTakeFirstOrThrow();
    expect(failed.error_code).toBe('5.1.1');
    expect(failed.error_reason).toContain('User unknown');
    // The agent's timeline shows the failure; no new conversation was opened for the report.
    const timeline = await h.api('GET', `/conversations/${stored.conversationId}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain('User unknown');
    const conversations = await h.db.selectFrom('conversations').select('id').where('channel_id', '=', h.campaign.channelId).execute();
    expect(conversations).toHaveLength(1);
  });

  it('marks a mass-mailing recipient bounced and suppresses a hard-bounced address', async () => {
    const hard = await massRecipient('no.existe@correo.ciudadano.test');
    await h.deliver(dsnMail({ to: h.campaign.address, originalMessageId: hard.messageId, recipient: 'no.existe@correo.ciudadano.test', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }));
    expect((await h.read()).outcomes).toEqual({ mass_mailing: 1 });
    const row = await recipientRow(hard.id);
    expect(row.status).toBe('bounced');
    expect(row.error).toContain('5.1.1');
    expect(row.failed_at).not.toBeNull();
    expect(await suppression('no.existe@correo.ciudadano.test')).toMatchObject({ reason: 'bounced' });
  });

  it('honours the List-Unsubscribe mailto of a mass mailing: the address is suppressed and no conversation opens', async () => {
    const address = 'ya.no@correo.ciudadano.test';
    const token = signUnsubscribeToken(h.hub.config.JWT_SECRET, { campaignId: h.campaign.campaignId, email: address });
    const before = await h.db.selectFrom('conversations').select('id').where('channel_id', '=', h.campaign.channelId).execute();
    await h.deliver(rawMail({ from: address, to: h.campaign.address, subject: `unsubscribe ${token}`, text: 'unsubscribe', messageId: citizenMessageId() }));
    expect((await h.read()).outcomes).toEqual({ unsubscribed: 1 });
    expect(await suppression(address)).toMatchObject({ reason: 'unsubscribed' });
    expect(await h.db.selectFrom('conversations').select('id').where('channel_id', '=', h.campaign.channelId).execute()).toHaveLength(before.length);
    // A forged token is an ordinary mail, and unsubscribes nobody. The MAC's first character is
    // changed: all its bits count (the last one of a base64url MAC carries padding bits).
    const [payload, mac] = token.split('.') as [string, string];
    const forged = `${payload}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    await h.deliver(rawMail({ from: 'otra@correo.ciudadano.test', to: h.campaign.address, subject: `unsubscribe ${forged}`, text: 'unsubscribe', messageId: citizenMessageId() }));
    expect((await h.read()).outcomes).toEqual({ message: 1 });
    expect(await suppression('otra@correo.ciudadano.test')).toBeUndefined();
  });

  it('leaves a recipient alone for a delay warning', async () => {
    const delayed = await massRecipient('lento@correo.ciudadano.test');
    await h.deliver(dsnMail({ to: h.campaign.address, originalMessageId: delayed.messageId, recipient: 'lento@correo.ciudadano.test', action: 'delayed', status: '4.4.1', diagnostic: '451 4.4.1 Connection timed out' }));
    expect((await h.read()).outcomes).toEqual({ not_a_failure: 1 });
    expect((await recipientRow(delayed.id)).status).toBe('sent');
    expect(await suppression('lento@correo.ciudadano.test')).toBeUndefined();
  });

  it('applies a mass-mail bounce once, keeps an unsubscription, and never touches another campaign', async () => {
    const soft = await massRecipient('Buzon.Lleno@correo.ciudadano.test');
    const first = await applyMassMailBounce(h.db, h.campaign.campaignId, { originalMessageId: soft.messageId.slice(1, -1), status: '4.2.2', diagnostic: 'Mailbox full', permanent: false });
    expect(first).toMatchObject({ outcome: 'applied', recipientId: soft.id, suppressed: false });
    expect((await recipientRow(soft.id)).status).toBe('bounced');
    expect(await suppression('buzon.lleno@correo.ciudadano.test')).toBeUndefined();

    await h.db.insertInto('email_suppressions').values({ campaign_id: h.campaign.campaignId, email: 'buzon.lleno@correo.ciudadano.test', reason: 'unsubscribed' }).execute();
    const again = await applyMassMailBounce(h.db, h.campaign.campaignId, { originalMessageId: soft.messageId, status: '5.2.2', diagnostic: 'Mailbox full', permanent: true });
    expect(again).toMatchObject({ outcome: 'applied', suppressed: true });
    expect(await suppression('buzon.lleno@correo.ciudadano.test')).toMatchObject({ reason: 'unsubscribed' });

    const other = await h.addCampaign();
    expect(await applyMassMailBounce(h.db, other.campaignId, { originalMessageId: soft.messageId, status: '5.1.1', diagnostic: 'x', permanent: true })).toEqual({ outcome: 'unknown' });
  });

  it('keeps a bounce it cannot match as an ordinary message for the agents', async () => {
    const messageId = citizenMessageId();
    await h.deliver(dsnMail({ to: h.campaign.address, originalMessageId: '<nunca-enviado@otro.test>', recipient: 'x@correo.ciudadano.test', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown', messageId }));
    expect((await h.read()).outcomes).toEqual({ message: 1 });
    const stored = await h.waitForMessage(messageId);
    expect(stored.meta?.['automated']).toBe('bounce');
    expect(stored.text).toContain('User unknown');
  });
});
