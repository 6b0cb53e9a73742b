import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createTransport, type SendMailOptions } from 'nodemailer';
import QRCode from 'qrcode';
import { createHubContext, type Config, type HubContext } from '@ventanilla/hub';
import { buildMassMail } from '../../../hub/src/mass-mail/mass-mail-message.js';
import { MassMailDispatcher } from '../../../hub/src/mass-mail/mass-mail.worker.js';
import { signUnsubscribeToken, unsubscribeUrl } from '../../../hub/src/mass-mail/unsubscribe-token.js';
import type { BenchLog } from '../router-db/run-env.js';
import { SmtpSink } from './smtp-sink.js';

export interface MassMailBenchSettings {
  recipients: number;
  /** Sends in flight per process = SMTP pool connections, for the hub and the baseline alike. */
  concurrency: number;
  /** The mailing's pace (mass_mailings allows up to 100,000 a minute). */
  ratePerMinute: number;
}

export interface PhaseResult {
  messages: number;
  seconds: number;
  perSecond: number;
  /** CPU of the bench process over the phase, in cores (user + system ÷ wall time). */
  benchCores: number;
  /** SMTP connections the sink saw during the phase. */
  connections: number;
}

export interface MassMailBenchResult {
  settings: MassMailBenchSettings;
  messageBytes: number;
  hub: PhaseResult & { completedAfterSeconds: number; duplicates: number; notSent: number };
  raw: PhaseResult;
  ratio: number;
  hubPerDay: number;
  rawPerDay: number;
  /** The configured pace as messages per second (the hub cannot go faster than this). */
  paceCap: number;
}

const TEXT = [
  'Estimada persona derechohabiente {{name}}:',
  '',
  'Le recordamos que su cita con el folio {{folio}} está programada en su Unidad de Medicina Familiar. Presente el código QR de este correo en el módulo de atención.',
  'Si no puede asistir, cancele o reprograme en https://imss.example.mx/citas para que otra persona aproveche el espacio.',
  '',
  'Documentos: identificación oficial vigente, carnet de citas y, en su caso, la orden del médico tratante.',
  '',
  'Este es un mensaje informativo. No responda a este correo.',
].join('\n');
const HTML = `<!doctype html><html lang="es-MX"><body style="font-family:Arial,sans-serif;color:#1f2328">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td style="padding:16px;background:#0b5cad"><img src="https://imss.example.mx/logo.png" alt="IMSS" width="120" height="40"></td></tr>
<tr><td style="padding:24px"><p>Estimada persona derechohabiente <strong>{{name}}</strong>:</p>
<p>Le recordamos que su cita con el folio <strong>{{folio}}</strong> está programada en su Unidad de Medicina Familiar. Presente este código QR en el módulo de atención:</p>
<p>{{qr}}</p>
<p>Si no puede asistir, <a href="https://imss.example.mx/citas">cancele o reprograme aquí</a> para que otra persona aproveche el espacio.</p>
<ul><li>Identificación oficial vigente</li><li>Carnet de citas</li><li>En su caso, la orden del médico tratante</li></ul>
<p style="font-size:12px;color:#555">Este es un mensaje informativo. No responda a este correo.</p></td></tr></table></body></html>`;

async function seed(ctx: HubContext, smtpPort: number, settings: MassMailBenchSettings): Promise<{ campaignId: string; channelId: string; mailingId: string }> {
  const db = ctx.db.kysely;
  const campaign = await db.insertInto('campaigns').values({ slug: 'bench-mass-mail', name: 'Derechohabiente (bench)', folio_prefix: 'BMM', settings: '{}' }).returning('id').executeTakeFirstOrThrow();
  const channel = await db
    .insertInto('channels')
    .values({
      campaign_id: campaign.id,
      kind: 'email',
      name: 'Avisos',
      settings: JSON.stringify({
        address: 'no-reply@imss.example.mx',
        displayName: 'IMSS Avisos',
        imap: { host: '127.0.0.1', port: 1, secure: false, user: 'no-reply@imss.example.mx', mailbox: 'INBOX', rejectUnauthorized: false },
        smtp: { host: '127.0.0.1', port: smtpPort, secure: false, rejectUnauthorized: false },
      }),
      secrets: JSON.stringify({ imapPassword: 'x' }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mailing = await db
    .insertInto('mass_mailings')
    .values({
      campaign_id: campaign.id,
      channel_id: channel.id,
      name: 'Recordatorio de citas (bench)',
      subject: 'Su cita {{folio}}, {{name}}',
      body_text: TEXT,
      body_html: HTML,
      qr_text: 'https://imss.example.mx/citas/verificar',
      rate_per_minute: settings.ratePerMinute,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    INSERT INTO mass_mailing_recipients (mailing_id, email, name, variables)
    SELECT ${mailing.id}::uuid, 'persona' || i || '@destino.example.mx', 'Persona Derechohabiente ' || i, jsonb_build_object('folio', 'DH-20261126-' || lpad(i::text, 6, '0'))
    FROM generate_series(1, ${settings.recipients}::int) AS i`.execute(db);
  await sql`ANALYZE mass_mailing_recipients`.execute(db);
  return { campaignId: campaign.id, channelId: channel.id, mailingId: mailing.id };
}

function cores(before: NodeJS.CpuUsage, seconds: number): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6 / seconds;
}

/**
 * One run: the hub's dispatcher sends a mailing of N recipients end to end (slot from Redis →
 * claim in PostgreSQL → render → SMTP accepted → row updated, committed), then a raw nodemailer
 * loop sends N copies of the same rendered mail through the same kind of pool to the same server.
 */
export async function runMassMailBench(input: { settings: MassMailBenchSettings; config: Config; log: BenchLog }): Promise<MassMailBenchResult> {
  const { settings, config, log } = input;
  const sink = await SmtpSink.start();
  const ctx = await createHubContext(config);
  try {
    const world = await seed(ctx, sink.port, settings);
    log(`seeded ${settings.recipients} recipients; SMTP sink on 127.0.0.1:${sink.port}`);
    const db = ctx.db.kysely;

    // The message the baseline sends: exactly what the hub sends the first recipient.
    const token = signUnsubscribeToken(config.JWT_SECRET, { campaignId: world.campaignId, email: 'persona1@destino.example.mx' });
    const qr = await QRCode.toBuffer('https://imss.example.mx/citas/verificar', { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 400 });
    const sample: SendMailOptions = await buildMassMail({
      mailing: { id: world.mailingId, campaignId: world.campaignId, subject: 'Su cita {{folio}}, {{name}}', bodyText: TEXT, bodyHtml: HTML, qrText: 'https://imss.example.mx/citas/verificar' },
      recipient: { id: '00000000-0000-4000-8000-000000000001', email: 'persona1@destino.example.mx', name: 'Persona Derechohabiente 1', variables: { folio: 'DH-20261126-000001' } },
      sender: { fromAddress: 'no-reply@imss.example.mx', fromName: 'IMSS Avisos', messageIdDomain: 'imss.example.mx' },
      unsubscribe: { token, url: unsubscribeUrl('https://ventanilla.example.mx', token) },
      qr: () => Promise.resolve(qr),
    });
    const compiled = await createTransport({ streamTransport: true, buffer: true }).sendMail(sample);
    const messageBytes = Buffer.isBuffer(compiled.message) ? compiled.message.length : 0;

    // Hub: the dispatcher of one worker process.
    const dispatcher = new MassMailDispatcher(
      { db, redis: ctx.redis, logger: ctx.logger },
      { concurrency: settings.concurrency, intervalMs: 50, retryDelayMs: 60_000, baseUrl: 'https://ventanilla.example.mx', jwtSecret: config.JWT_SECRET, redisPrefix: config.REDIS_PREFIX },
    );
    dispatcher.start();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await db.updateTable('mass_mailings').set({ status: 'scheduled', scheduled_at: sql`now()` }).where('id', '=', world.mailingId).execute();
    const hubCount = await sink.waitFor(settings.recipients, 20 * 60_000);
    const hubSeconds = (performance.now() - t0) / 1000;
    const hubCores = cores(cpu0, hubSeconds);
    for (;;) {
      const row = await db.selectFrom('mass_mailings').select('status').where('id', '=', world.mailingId).executeTakeFirstOrThrow();
      if (row.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const completedAfterSeconds = (performance.now() - t0) / 1000;
    await dispatcher.stop();
    const check = await sql<{ sent: string; ids: string }>`
      SELECT count(*) FILTER (WHERE status = 'sent') AS sent, count(DISTINCT message_id) AS ids FROM mass_mailing_recipients WHERE mailing_id = ${world.mailingId}`.execute(db);
    const sent = Number(check.rows[0]?.sent ?? 0);
    const afterHub = await sink.count();
    log(`hub: ${settings.recipients} in ${hubSeconds.toFixed(2)} s → ${(settings.recipients / hubSeconds).toFixed(0)}/s (completed after ${completedAfterSeconds.toFixed(2)} s)`);

    // Raw baseline: a pooled nodemailer transport, same pool size, same message, same server.
    const transport = createTransport({ pool: true, host: '127.0.0.1', port: sink.port, secure: false, maxConnections: settings.concurrency, maxMessages: 10_000, tls: { rejectUnauthorized: false } });
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    await Promise.all(Array.from({ length: settings.recipients }, (_, i) => transport.sendMail({ ...sample, to: `persona${i + 1}@destino.example.mx`, messageId: `<raw.${i}@imss.example.mx>` })));
    const rawSeconds = (performance.now() - t1) / 1000;
    const rawCores = cores(cpu1, rawSeconds);
    transport.close();
    const afterRaw = await sink.count();
    log(`raw nodemailer: ${settings.recipients} in ${rawSeconds.toFixed(2)} s → ${(settings.recipients / rawSeconds).toFixed(0)}/s`);

    const hubPerSecond = settings.recipients / hubSeconds;
    const rawPerSecond = settings.recipients / rawSeconds;
    return {
      settings,
      messageBytes,
      hub: {
        messages: hubCount.messages,
        seconds: hubSeconds,
        perSecond: hubPerSecond,
        benchCores: hubCores,
        connections: afterHub.connections,
        completedAfterSeconds,
        duplicates: afterHub.messages - settings.recipients,
        notSent: settings.recipients - sent,
      },
      raw: { messages: afterRaw.messages - afterHub.messages, seconds: rawSeconds, perSecond: rawPerSecond, benchCores: rawCores, connections: afterRaw.connections - afterHub.connections },
      ratio: hubPerSecond / rawPerSecond,
      hubPerDay: hubPerSecond * 86_400,
      rawPerDay: rawPerSecond * 86_400,
      paceCap: settings.ratePerMinute / 60,
    };
  } finally {
    await ctx.close();
    await sink.stop();
  }
}
