import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inboundEventSchema } from '../core/inbound-event.js';
import { bounceStatusEvent, parseDeliveryReport } from './email-dsn.js';
import { parseEmail } from './email-parse.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const bounceOf = async (name: string) => (await parseEmail(fixture(name), { maxAttachmentBytes: 1024 * 1024 })).bounce;

describe('delivery status notifications (RFC 3464)', () => {
  it('Postfix: failed 5.1.1, recipient, diagnostic unfolded, original Message-ID from the returned message', async () => {
    expect(await bounceOf('dsn-postfix.eml')).toEqual({
      originalMessageId: '<3f2a9c1e-5b7d-4e21-9a0b-1c2d3e4f5a6b@ventanilla.example.gob.mx>',
      recipient: 'juan.perez@correo.example.mx',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <juan.perez@correo.example.mx>: Recipient address rejected: User unknown in virtual mailbox table',
      permanent: true,
    });
  });

  it('Exchange: mailbox full 5.2.2, original Message-ID from text/rfc822-headers', async () => {
    expect(await bounceOf('dsn-exchange.eml')).toEqual({
      originalMessageId: '<9d8c7b6a-1111-4222-8333-444455556666@ventanilla.example.gob.mx>',
      recipient: 'maria.lopez@dependencia.example.mx',
      action: 'failed',
      status: '5.2.2',
      diagnostic: '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
      permanent: true,
    });
  });

  it('a delay warning (4.4.1, action delayed) is not permanent', async () => {
    expect(await bounceOf('dsn-delayed.eml')).toMatchObject({
      originalMessageId: '<5e5e5e5e-3333-4444-8555-666677778888@ventanilla.example.gob.mx>',
      recipient: 'rosa@lento.example.com',
      action: 'delayed',
      status: '4.4.1',
      permanent: false,
    });
  });

  it('plain-text bounce (qmail): Message-ID found in the quoted original, status and recipient from the report', async () => {
    expect(await bounceOf('bounce-plain-text.eml')).toEqual({
      originalMessageId: '<7a7a7a7a-2222-4333-8444-555566667777@ventanilla.example.gob.mx>',
      recipient: 'pedro.ruiz@proveedor.example.net',
      action: 'failed',
      status: '5.1.1',
      diagnostic: 'Sorry, no mailbox here by that name. (#5.1.1)',
      permanent: true,
    });
  });

  it('mail from a person is never a bounce, even when it quotes a Message-ID', async () => {
    expect(await bounceOf('plain-text.eml')).toBeUndefined();
    expect(await bounceOf('reply-with-folio.eml')).toBeUndefined();
    expect(parseDeliveryReport({ attachments: [], text: 'Message-ID: <x@example.mx>' }, false)).toBeUndefined();
  });

  it('a plain-text bounce without any Message-ID to match is not reported', () => {
    expect(parseDeliveryReport({ attachments: [], text: 'Delivery failed. (#5.1.1)' }, true)).toBeUndefined();
  });

  it('picks the failed recipient among several and falls back to In-Reply-To for the original', () => {
    const status = [
      'Reporting-MTA: dns; mx.example.mx',
      '',
      'Final-Recipient: rfc822; ok@example.mx',
      'Action: delivered',
      'Status: 2.0.0',
      '',
      'Final-Recipient: rfc822;<Mal@Example.MX>',
      'Action: failed',
      'Status: 5.1.2 (bad destination system)',
      'Diagnostic-Code: smtp; 550 Host unknown',
      '',
    ].join('\r\n');
    const report = parseDeliveryReport({ attachments: [{ contentType: 'message/delivery-status', content: Buffer.from(status) }], inReplyTo: '<ours-1@ventanilla.example.gob.mx>' }, true);
    expect(report).toEqual({ originalMessageId: '<ours-1@ventanilla.example.gob.mx>', recipient: 'mal@example.mx', action: 'failed', status: '5.1.2', diagnostic: '550 Host unknown', permanent: true });
  });

  it('a permanent bounce becomes a failed status for our message; a delay or an unmatched bounce, nothing', async () => {
    const at = '2026-11-26T16:15:03.000Z';
    const event = bounceStatusEvent((await bounceOf('dsn-postfix.eml'))!, at);
    expect(event).toEqual({
      type: 'status',
      providerMessageId: '<3f2a9c1e-5b7d-4e21-9a0b-1c2d3e4f5a6b@ventanilla.example.gob.mx>',
      occurredAt: at,
      status: 'failed',
      error: { code: 'email_bounced', reason: '5.1.1 <juan.perez@correo.example.mx> 550 5.1.1 <juan.perez@correo.example.mx>: Recipient address rejected: User unknown in virtual mailbox table' },
    });
    expect(inboundEventSchema.safeParse(event).success).toBe(true);
    expect(bounceStatusEvent((await bounceOf('dsn-delayed.eml'))!, at)).toBeUndefined();
    expect(bounceStatusEvent({ action: 'failed', permanent: true }, at)).toBeUndefined();
  });
});
