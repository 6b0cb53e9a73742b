import { DecodeError, type ChannelAdapter } from '../core/channel-adapter.js';
import { emailChannelSettingsSchema, type EmailChannelSettings } from './email-channel.schema.js';
import { encodeEmail } from './email-encode.js';
import { sendEmail } from './email-send.js';

const NOT_A_WEBHOOK = 'e-mail arrives over IMAP, never through a webhook';

/**
 * The e-mail channel: a mailbox the hub reads over IMAP (its reader calls `parseEmail`, not
 * `decodeInbound`) and answers over SMTP. Stateless; `send` is its only I/O.
 */
export const emailChannelAdapter: ChannelAdapter<EmailChannelSettings> = {
  kind: 'email',
  ingress: 'imap',
  displayName: 'Correo electrónico',
  capabilities: {
    text: true,
    media: true,
    location: false,
    interactive: false,
    templates: false,
    // Bounces (DSNs) arrive as mail and become failed statuses; there is no "delivered" receipt.
    deliveryReceipts: false,
    readReceipts: false,
    maxTextLength: 100_000,
    threading: true,
  },
  settingsSchema: emailChannelSettingsSchema,
  secretNames: ['imapPassword', 'smtpPassword'],
  secretSource: 'provided',

  // Fail closed (CONVENTIONS 2): nothing posted to /webhooks/email is ever genuine.
  verifyRequest: () => ({ ok: false, reason: NOT_A_WEBHOOK }),
  decodeInbound: () => {
    throw new DecodeError(NOT_A_WEBHOOK);
  },
  encodeOutbound: (message, settings) => ({ body: encodeEmail(message, settings) }),
  send: sendEmail,
};
