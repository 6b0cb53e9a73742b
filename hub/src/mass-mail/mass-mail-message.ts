import type { SendMailOptions } from 'nodemailer';
import { escapeHtml, QR_VARIABLE, renderHtml, renderSubject, renderText, templateVariables, textToHtml } from './mail-template.js';

/**
 * One recipient's mail of a mass mailing: text and HTML versions, the QR code as an inline image
 * (cid), and the headers that keep bulk mail out of spam folders and auto-responders away:
 * List-Unsubscribe (URL + mailto) with List-Unsubscribe-Post (RFC 8058 one-click — Gmail and
 * Yahoo require it of bulk senders), Precedence: bulk and Auto-Submitted (RFC 3834).
 */
export interface MailingContent {
  id: string;
  campaignId: string;
  subject: string;
  bodyText: string;
  bodyHtml: string | null;
  qrText: string | null;
}

export interface RecipientContent {
  id: string;
  email: string;
  name: string | null;
  variables: Readonly<Record<string, string>>;
}

export interface SenderIdentity {
  fromAddress: string;
  fromName: string | null;
  messageIdDomain: string;
}

export interface UnsubscribeLink {
  url: string;
  token: string;
}

/** PNG bytes of a QR code for a text (cached by the caller: most mailings use one text for all). */
export type QrRenderer = (text: string) => Promise<Buffer>;

export const QR_CID = 'qr@ventanilla';
const UNSUBSCRIBE = 'unsubscribe_url';

/** The Message-ID a recipient's mail carries: the bounce reader finds the recipient by it. */
export function massMailMessageId(recipientId: string, domain: string): string {
  return `<mm.${recipientId}@${domain}>`;
}

function beforeBodyEnd(html: string, addition: string): string {
  const end = html.search(/<\/body\s*>/i);
  return end < 0 ? `${html}\n${addition}` : `${html.slice(0, end)}${addition}\n${html.slice(end)}`;
}

function unsubscribeFooterHtml(url: string): string {
  const href = escapeHtml(url);
  return `<p style="font-size:12px;color:#555555">Para dejar de recibir estos correos, <a href="${href}">dése de baja aquí</a>. / To stop receiving these e-mails, <a href="${href}" lang="en">unsubscribe here</a>.</p>`;
}

export async function buildMassMail(input: { mailing: MailingContent; recipient: RecipientContent; sender: SenderIdentity; unsubscribe: UnsubscribeLink; qr: QrRenderer }): Promise<SendMailOptions> {
  const { mailing, recipient, sender, unsubscribe } = input;
  // The list's own columns first: name, email and the link are the hub's and cannot be shadowed.
  const values = { ...recipient.variables, name: recipient.name ?? '', email: recipient.email, [UNSUBSCRIBE]: unsubscribe.url };

  let text = renderText(mailing.bodyText, values);
  if (!templateVariables(mailing.bodyText).includes(UNSUBSCRIBE)) {
    text += `\n\n--\nPara dejar de recibir estos correos / to unsubscribe: ${unsubscribe.url}`;
  }

  const qrText = mailing.qrText ? renderText(mailing.qrText, values).trim() : '';
  const qrImage = qrText ? `<img src="cid:${QR_CID}" alt="Código QR / QR code" width="200" height="200" style="display:block;width:200px;height:200px">` : '';
  const htmlTemplate = mailing.bodyHtml ?? (qrText ? textToHtml(mailing.bodyText) : null);
  let html: string | undefined;
  if (htmlTemplate !== null) {
    const used = templateVariables(htmlTemplate);
    html = renderHtml(htmlTemplate, values, qrImage);
    if (qrImage && !used.includes(QR_VARIABLE)) html = beforeBodyEnd(html, `<p>${qrImage}</p>`);
    if (!used.includes(UNSUBSCRIBE)) html = beforeBodyEnd(html, unsubscribeFooterHtml(unsubscribe.url));
  }

  const mailto = `mailto:${sender.fromAddress}?subject=${encodeURIComponent(`unsubscribe ${unsubscribe.token}`)}`;
  return {
    from: { name: sender.fromName ?? '', address: sender.fromAddress },
    to: { name: recipient.name ?? '', address: recipient.email },
    subject: renderSubject(mailing.subject, values),
    text,
    ...(html === undefined ? {} : { html }),
    ...(qrText ? { attachments: [{ filename: 'codigo-qr.png', content: await input.qr(qrText), contentType: 'image/png', cid: QR_CID, contentDisposition: 'inline' as const }] } : {}),
    messageId: massMailMessageId(recipient.id, sender.messageIdDomain),
    headers: {
      'List-Unsubscribe': `<${unsubscribe.url}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      Precedence: 'bulk',
      'Auto-Submitted': 'auto-generated',
      // Outlook / Exchange: no out-of-office or other automatic replies to a bulk sender.
      'X-Auto-Response-Suppress': 'All',
      // Gmail's feedback loop groups spam reports by these ids (mailing:campaign:sender).
      'Feedback-ID': `${mailing.id}:${mailing.campaignId}:ventanilla`,
    },
  };
}
