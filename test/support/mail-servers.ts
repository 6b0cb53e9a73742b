import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, chown, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';

const run = promisify(execFile);

/** uid/gid of Debian's `mail` user: Dovecot's static userdb runs mailbox access as it. */
const MAIL_UID = 8;
const MAIL_GID = 8;

export interface DovecotServer {
  host: string;
  port: number;
  dir: string;
  addUser(email: string, password: string): Promise<void>;
  /** Stops the server but keeps its mailboxes (to test a reader reconnecting). */
  pause(): Promise<void>;
  /** Starts it again on the same port with the same mailboxes. */
  resume(): Promise<void>;
  /** Sets a mailbox's UIDVALIDITY, as a server does when it rebuilds its index. */
  setUidValidity(email: string, mailbox: string, uidValidity: number): Promise<void>;
  stop(): Promise<void>;
}

/** Fails with what to install when Dovecot is missing (call it in a beforeAll). */
export async function assertDovecotInstalled(): Promise<void> {
  try {
    await run('which', ['dovecot']);
  } catch {
    throw new Error('Dovecot no está instalado / Dovecot is not installed: apt-get install -y dovecot-imapd (see /work/shared/MACHINE-NOTES.md)');
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, open: boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepting = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepting === open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not ${open ? 'open' : 'close'} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A private Dovecot per test file (MACHINE-NOTES "A real IMAP server for tests"): its own config,
 * a free port, passwd-file users and maildirs under a temporary directory.
 */
export async function startDovecot(): Promise<DovecotServer> {
  await assertDovecotInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'ventanilla-dovecot-'));
  const port = await freePort();
  for (const sub of ['run', 'state', 'mail', 'home']) await mkdir(join(dir, sub));
  await chown(join(dir, 'mail'), MAIL_UID, MAIL_GID);
  await chown(join(dir, 'home'), MAIL_UID, MAIL_GID);
  // Dovecot's unprivileged processes must reach the config, users file and mail folders.
  await chmod(dir, 0o755);
  const users = join(dir, 'users');
  await writeFile(users, '', { mode: 0o644 });
  const conf = join(dir, 'dovecot.conf');
  await writeFile(
    conf,
    [
      'protocols = imap',
      'listen = 127.0.0.1',
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      `mail_location = maildir:${dir}/mail/%u`,
      'service imap-login {',
      '  inet_listener imap {',
      '    address = 127.0.0.1',
      `    port = ${port}`,
      '  }',
      '}',
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=PLAIN username_format=%u ${users}`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=mail gid=mail home=${dir}/home/%u`,
      '}',
      'first_valid_uid = 8',
      'default_internal_user = dovecot',
      'default_login_user = dovenull',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  // In the foreground (-F) as our child: stopping it is a signal and an 'exit' we can await, with
  // no daemon left behind as a zombie that `doveadm stop` would wait for.
  let master: ChildProcess | null = null;
  const killOnExit = () => master?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const start = async () => {
    const child = spawn('dovecot', ['-F', '-c', conf], { stdio: 'ignore' });
    master = child;
    const failed = new Promise<never>((_resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`dovecot exited with ${code}; see ${dir}/dovecot.log`)));
    });
    failed.catch(() => undefined);
    await Promise.race([waitForPort(port, true), failed]);
  };
  const halt = async () => {
    const child = master;
    master = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    await waitForPort(port, false);
  };
  await start();
  let running = true;
  const startedAt = Date.now();
  let usersVersion = 0;
  return {
    host: '127.0.0.1',
    port,
    dir,
    async addUser(email, password) {
      await appendFile(users, `${email}:{PLAIN}${password}\n`);
      // Dovecot re-reads the passwd-file when its mtime (whole seconds) changes, and looks at
      // most once per second: give every change its own mtime second and let the clock reach
      // the next second, or a login right after adding the user is refused.
      usersVersion += 1;
      const stamp = new Date(startedAt + usersVersion * 1000);
      await utimes(users, stamp, stamp);
      await new Promise((resolve) => setTimeout(resolve, 1050 - (Date.now() % 1000)));
    },
    async pause() {
      await halt();
      running = false;
    },
    async resume() {
      await start();
      running = true;
    },
    async setUidValidity(email, mailbox, uidValidity) {
      await run('doveadm', ['-c', conf, 'mailbox', 'update', '-u', email, '--uid-validity', String(uidValidity), mailbox]);
    },
    async stop() {
      if (running) await halt();
      running = false;
      process.removeListener('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Puts a message into a user's INBOX over IMAP APPEND (what an MTA delivering mail does). */
export async function appendMail(server: Pick<DovecotServer, 'host' | 'port'>, user: string, password: string, raw: string | Buffer): Promise<number | undefined> {
  const client = new ImapFlow({ host: server.host, port: server.port, secure: false, auth: { user, pass: password }, logger: false, disableAutoIdle: true });
  await client.connect();
  try {
    const result = await client.append('INBOX', raw);
    return result ? result.uid : undefined;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export interface CapturedMail {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** A header as a string (first value), lower-case name. */
  header(name: string): string | undefined;
}

export interface SmtpCapture {
  port: number;
  messages: CapturedMail[];
  waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  /** Rejects the next RCPT TO (5xx/4xx) or, with `at: 'data'`, the next DATA; null clears it. */
  respondWith(code: number | null, at?: 'rcpt' | 'data'): void;
  stop(): Promise<void>;
}

function smtpError(code: number): Error & { responseCode: number } {
  return Object.assign(new Error(code >= 500 ? 'Mailbox unavailable (test)' : 'Try again later (test)'), { responseCode: code });
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'text' in value && typeof value.text === 'string') return value.text;
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return undefined;
}

/** A real SMTP server on loopback that keeps what it receives (no TLS, no auth required). */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const waiters = new Set<() => void>();
  let reject: { code: number; at: 'rcpt' | 'data' } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS lookup per connection: on a machine without DNS it stalls each first connection ~4 s.
    disableReverseLookup: true,
    // Pooled client connections stay open; stop() must not wait the default 30 s for them.
    closeTimeout: 500,
    logger: false,
    // Accept any credentials: the channel may be configured with an SMTP user.
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'test' });
    },
    onRcptTo(_address: SMTPServerAddress, _session, callback) {
      if (reject?.at === 'rcpt') {
        const { code } = reject;
        reject = null;
        callback(smtpError(code));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (reject?.at === 'data') {
          const { code } = reject;
          reject = null;
          callback(smtpError(code));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              header: (name) => headerText(parsed.headers.get(name.toLowerCase())),
            });
            for (const wake of waiters) wake();
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    messages,
    async waitFor(predicate, timeoutMs = 10_000) {
      const found = () => messages.find(predicate);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = found();
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no captured mail matched within ${timeoutMs} ms (${messages.length} captured)`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 100);
          waiters.add(wake);
        });
      }
    },
    respondWith(code, at = 'rcpt') {
      reject = code === null ? null : { code, at };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface EmailChannelInput {
  imap: { host?: string; port: number; user: string; password: string };
  smtp: { host?: string; port: number };
  address: string;
  displayName?: string;
  autoAck?: { enabled: boolean; subject?: string; text?: string };
  maxAttachmentBytes?: number;
  name?: string;
  enabled?: boolean;
}

/** An e-mail channel reading a test Dovecot mailbox and sending through the SMTP capture. */
export async function createEmailChannel(db: Kysely<Database>, campaignId: string, input: EmailChannelInput) {
  const settings = {
    address: input.address,
    ...(input.displayName ? { displayName: input.displayName } : {}),
    imap: { host: input.imap.host ?? '127.0.0.1', port: input.imap.port, secure: false, user: input.imap.user, mailbox: 'INBOX', rejectUnauthorized: false },
    smtp: { host: input.smtp.host ?? '127.0.0.1', port: input.smtp.port, secure: false, rejectUnauthorized: false },
    autoAck: {
      enabled: input.autoAck?.enabled ?? false,
      subject: input.autoAck?.subject ?? 'Re: {{subject}} [{{folio}}]',
      text: input.autoAck?.text ?? 'Hola {{name}}: recibimos su mensaje con el folio {{folio}}. Le responderemos pronto.',
    },
    maxAttachmentBytes: input.maxAttachmentBytes ?? 5 * 1024 * 1024,
  };
  return db
    .insertInto('channels')
    .values({
      campaign_id: campaignId,
      kind: 'email',
      name: input.name ?? `Correo ${randomBytes(2).toString('hex')}`,
      settings: JSON.stringify(settings),
      secrets: JSON.stringify({ imapPassword: input.imap.password }),
      ...(input.enabled === false ? { enabled: false } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
