import { SMTPServer } from 'smtp-server';
import { freePort } from '../support/mail-servers.js';

export interface FastCapturedMail {
  to: string;
  messageId: string;
  /** When the server accepted it (Date.now()). */
  at: number;
  /** The client connection it came on (one SMTP pool holds a few). */
  session: string;
}

export interface FastSmtpCapture {
  port: number;
  mails: FastCapturedMail[];
  stop(): Promise<void>;
}

/**
 * An SMTP server on loopback that only notes who got what, when and on which connection — for the
 * timing and exactly-once tests, where support/mail-servers.ts's full MIME parse of every message
 * would be the bottleneck. No reverse DNS lookup of the client (seconds without a resolver).
 */
export async function startFastSmtpCapture(): Promise<FastSmtpCapture> {
  const mails: FastCapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('latin1', 0, 8192);
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '';
        for (const rcpt of session.envelope.rcptTo) mails.push({ to: rcpt.address, messageId, at: Date.now(), session: session.id });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
