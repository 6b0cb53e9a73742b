import { z } from 'zod';

/**
 * What an SMTP send error means for a mass-mail recipient. A reply to RCPT TO or to the message
 * (DATA) is about this recipient: 5xx fails it for good, 4xx is retried. Anything else — no
 * connection, a timeout, AUTH refused, MAIL FROM refused, 421 "closing channel" — is about the
 * channel, not the address: the recipient is left pending and the mailing backs off.
 */
export type SmtpFailure = { scope: 'recipient'; permanent: boolean; reason: string } | { scope: 'channel'; reason: string };

/** The fields nodemailer sets on its errors (NodemailerError), read without trusting the shape. */
const smtpErrorShape = z.object({
  responseCode: z.number().optional().catch(undefined),
  command: z.string().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
  response: z.string().optional().catch(undefined),
});

export function classifySmtpFailure(error: unknown): SmtpFailure {
  const parsed = smtpErrorShape.safeParse(error);
  if (!parsed.success) return { scope: 'channel', reason: String(error).slice(0, 1000) };
  const { responseCode, command, code, response } = parsed.data;
  const message = error instanceof Error ? error.message : String(error);
  const reason = (response ? response : message).slice(0, 1000);
  if (responseCode !== undefined) {
    if (responseCode !== 421 && (command === 'RCPT TO' || command === 'DATA')) return { scope: 'recipient', permanent: responseCode >= 500, reason };
    return { scope: 'channel', reason };
  }
  // Refused by nodemailer before reaching the server: the message or the address cannot be sent.
  if (code === 'EMESSAGE' || (code === 'EENVELOPE' && message.startsWith('Invalid recipient'))) return { scope: 'recipient', permanent: true, reason };
  return { scope: 'channel', reason: code ? `${code}: ${message}`.slice(0, 1000) : reason };
}
