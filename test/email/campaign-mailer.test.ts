import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaignEmail } from '../../hub/src/email/campaign-mailer.js';
import { createCampaign } from '../support/factories.js';
import { createEmailChannel } from '../support/mail-servers.js';
import { startEmailHarness, type EmailHarness } from './email-harness.js';

/**
 * Mail the hub sends for a campaign outside a conversation (the web chat transcript): through
 * the campaign's e-mail channel, marked automatic, with a clear error when there is none.
 */
describe('campaign mailer', () => {
  let h: EmailHarness;

  beforeAll(async () => {
    h = await startEmailHarness({ workers: false });
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  it('sends through the campaign’s e-mail channel, From its address, with attachments', async () => {
    const transcript = 'Agente: Hola\nCiudadano: Gracias';
    const { messageId } = await sendCampaignEmail(h.hub.ctx, h.campaign.campaignId, {
      to: 'visitante@correo.ciudadano.test',
      subject: 'Transcripción de su conversación DH-20261126-000123',
      text: 'Adjuntamos la transcripción de su conversación.',
      html: '<p>Adjuntamos la <b>transcripción</b> de su conversación.</p>',
      attachments: [{ filename: 'transcripcion.txt', content: transcript, contentType: 'text/plain; charset=utf-8' }],
    });
    expect(messageId).toMatch(/^<[^@]+@ventanilla\.test>$/);
    const mail = await h.smtp.waitFor((m) => m.header('message-id') === messageId);
    expect(mail.to).toEqual(['visitante@correo.ciudadano.test']);
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: h.campaign.address, name: 'Atención Ciudadana' });
    expect(mail.parsed.subject).toBe('Transcripción de su conversación DH-20261126-000123');
    expect(mail.parsed.text).toContain('Adjuntamos la transcripción');
    expect(mail.parsed.html).toContain('<b>transcripción</b>');
    expect(mail.header('auto-submitted')).toBe('auto-generated');
    expect(mail.parsed.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([['transcripcion.txt', transcript]]);
  });

  it('refuses when the campaign has no enabled e-mail channel', async () => {
    const bare = await createCampaign(h.db);
    await expect(sendCampaignEmail(h.hub.ctx, bare.id, { to: 'a@correo.ciudadano.test', subject: 'x', text: 'x' })).rejects.toMatchObject({ code: 'HUB_ERR_EMAIL_CHANNEL_MISSING', statusCode: 409 });
    await createEmailChannel(h.db, bare.id, { imap: { port: h.dovecot.port, user: 'nadie', password: 'x' }, smtp: { port: h.smtp.port }, address: 'apagado@ventanilla.test', enabled: false });
    await expect(sendCampaignEmail(h.hub.ctx, bare.id, { to: 'a@correo.ciudadano.test', subject: 'x', text: 'x' })).rejects.toMatchObject({ code: 'HUB_ERR_EMAIL_CHANNEL_MISSING' });
  });

  it('reports a refusal by the mail server', async () => {
    h.smtp.respondWith(550);
    await expect(sendCampaignEmail(h.hub.ctx, h.campaign.campaignId, { to: 'rechazado@correo.ciudadano.test', subject: 'x', text: 'x' })).rejects.toMatchObject({
      code: 'HUB_ERR_EMAIL_SEND_FAILED',
      statusCode: 502,
    });
    expect(h.smtp.messages.filter((m) => m.to.includes('rechazado@correo.ciudadano.test'))).toHaveLength(0);
  });
});
