import { z } from 'zod';
import { ROLES } from '../db/schema.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every environment variable the hub reads. `process.env` is read here and nowhere else
 * (CONVENTIONS 10); the README's configuration table is generated from the descriptions.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('Runtime mode.'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface the HTTP server listens on.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port (0 = any free port).'),
  PUBLIC_URL: z.url().optional().describe('Public base URL of the hub, used in printed links; defaults to http://HOST:PORT.'),
  HUB_ROLE: z
    .enum(['all', 'api', 'worker'])
    .default('all')
    .describe('What this process runs: api (HTTP + socket.io), worker (ingest, outbound, outbox relay) or all.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .describe('PostgreSQL connection URL. Unset: an embedded PostgreSQL (PGlite) stored under DATA_DIR.'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('public')
    .describe('Schema holding the hub tables (tests use a random one).'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20).describe('PostgreSQL connections per process.'),
  DATA_DIR: z.string().min(1).default('./data').describe('Where the embedded database and local files are kept.'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379')
    .describe('Redis for BullMQ queues and the socket.io adapter (required).'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - only')
    .default('vent')
    .describe('Prefix of every Redis key and channel (lets several hubs or tests share one Redis).'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').describe('Secret that signs access tokens (HS256).'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900).describe('Lifetime of an access token.'),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(14 * 86_400)
    .describe('Lifetime of a refresh token (rotated at every use).'),
  AUTH_LOGIN_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe('Inicios de sesión fallidos de una cuenta que la bloquean / failed logins of one account (within AUTH_LOGIN_FAILURE_WINDOW_SECONDS) that lock it.'),
  AUTH_LOGIN_FAILURE_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400)
    .default(900)
    .describe('Ventana en que se cuentan los inicios de sesión fallidos / window, from the first failure, in which failed logins of an account are counted.'),
  AUTH_LOCKOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(15)
    .describe('Minutos que una cuenta queda bloqueada, aun con la contraseña correcta (423) / minutes an account stays locked after too many failed logins, even for the right password (423).'),
  AUTH_REQUESTS_PER_IP_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(30)
    .describe('Solicitudes a /auth/login y, por separado, a /auth/refresh por IP y minuto / requests to /api/v1/auth/login, and separately to /auth/refresh, per IP and minute (429 above).'),
  TRUST_PROXY: z
    .string()
    .min(1)
    .default('loopback, linklocal, uniquelocal')
    .describe('Proxies cuyo X-Forwarded-For se cree (IPs, CIDR o loopback/linklocal/uniquelocal): de él salen las IP de los límites por dirección / proxies whose X-Forwarded-For is believed (IPs, CIDRs or the names loopback, linklocal, uniquelocal); per-address limits use the address it gives.'),
  WEBHOOK_BAD_SIGNATURES_PER_IP_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(120)
    .describe('Webhooks con firma inválida que una IP puede enviar por minuto antes de ser rechazada (429); los firmados nunca cuentan / webhooks with a bad signature one address may send per minute before it is refused (429); correctly signed ones never count.'),
  AUTH_TOTP_REQUIRED_ROLES: z
    .string()
    .optional()
    .refine((value) => value === undefined || value.split(',').every((role) => role.trim() === '' || ROLES.some((known) => known === role.trim())), `comma-separated roles among ${ROLES.join(', ')}`)
    .describe('Roles que deben usar segundo factor (TOTP), separados por comas, p. ej. admin,supervisor; sin valor, es opcional para todos / comma-separated staff roles that must enrol a TOTP second factor before they get a session (e.g. admin,supervisor); unset: optional for everyone.'),
  TOTP_ENCRYPTION_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('Clave con la que se cifran (AES-256-GCM) los secretos TOTP del personal; sin valor se deriva de JWT_SECRET; si cambia, los usuarios inscritos necesitan que un administrador restablezca su TOTP / key the staff TOTP secrets are encrypted with at rest (AES-256-GCM, via HKDF); unset: derived from JWT_SECRET. Changing it makes enrolled secrets unreadable (admin reset needed).'),
  STAFF_CORS_ORIGINS: z
    .string()
    .optional()
    .refine((value) => value === undefined || value.split(',').every((origin) => origin.trim() === '' || /^https?:\/\/[^/\s]+$/.test(origin.trim())), 'comma-separated origins like https://panel.example.gob.mx (scheme, host and port only)')
    .describe('Orígenes de otros sitios que pueden llamar la API del personal (/api/v1), separados por comas; sin valor, solo el mismo origen / comma-separated origins (scheme://host[:port]) allowed to call the staff API /api/v1 from a browser; unset: same origin only.'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024).describe('Largest request body accepted (413 above).'),
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(10 * 1024 * 1024)
    .describe('Largest file an agent may attach to a conversation (413 above); files are kept under DATA_DIR/files.'),
  INBOUND_MEDIA_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(16 * 1024 * 1024)
    .describe(
      'Archivo más grande que se descarga de un proveedor (p. ej. medios de WhatsApp); los mayores quedan sin descargar y marcados / largest inbound media downloaded from a provider; larger ones are kept as a marked, undownloaded attachment.',
    ),
  WIDGET_SESSIONS_PER_IP_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(30)
    .describe('Formularios previos al chat, retos CAPTCHA y mensajes fuera de horario por IP y minuto / web chat pre-chat forms, CAPTCHA challenges and leave-a-message forms per IP and minute (429 above).'),
  WIDGET_MESSAGES_PER_VISITOR_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(20)
    .describe('Mensajes y archivos de un visitante del chat web por minuto / web chat messages and files per visitor and minute (429 above).'),
  WIDGET_MESSAGES_PER_IP_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(60)
    .describe('Mensajes y archivos del chat web por IP y minuto (varios visitantes tras una misma red) / web chat messages and files per IP and minute (429 above).'),
  WIDGET_TRANSCRIPT_EMAILS_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(3)
    .describe('Transcripciones por correo que un visitante puede pedir por hora / transcripts by e-mail one web chat visitor may request per hour.'),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(256).describe('Inbound jobs active at once per worker process (they wait in batches for the database).'),
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(200).default(32).describe('Inbound messages stored per database call at most.'),
  INGEST_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(3).describe('Database calls of the ingest worker running at once (connections it uses).'),
  OUTBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(32).describe('Outbound sends at once per worker process.'),
  OUTBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8).describe('Attempts for a retryable outbound send.'),
  OUTBOUND_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2000).describe('First retry delay; doubles per attempt.'),
  OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000).describe('How often the relay looks for unpublished outbox rows.'),
  ROUTER_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(1000)
    .describe('How often a worker re-runs the router and catches timers lost in a crash (overdue offers, ACW, auto-logout, overflow).'),
  ROUTER_TREATMENT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(5000)
    .describe('How often a worker recomputes the place in line and estimated wait of waiting citizens, messages those whose display changed (at most once a minute each, at once when they become next) and applies "estimated wait over X" overflow.'),
  ROUTER_WAITING_LIMIT: z.coerce.number().int().min(100).max(1_000_000).default(200_000).describe('Waiting conversations the router reads per pass, most urgent first.'),
  EMAIL_CHANNEL_RESCAN_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(30_000)
    .describe('Cada cuánto un worker relee los canales de correo (altas y bajas) / how often a worker re-reads the e-mail channel list to start or stop IMAP readers.'),
  EMAIL_MAILBOX_LOCK_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(600_000)
    .default(30_000)
    .describe('Vigencia del candado Redis de un buzón IMAP, renovado mientras se lee / TTL of the Redis lock that lets one process read a mailbox (renewed while connected; a crashed holder frees it after this).'),
  EMAIL_RECONNECT_BASE_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(1000)
    .describe('Primera espera antes de reconectar a IMAP; se duplica / first wait before reconnecting to IMAP after an error; doubles per failure.'),
  EMAIL_RECONNECT_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(60_000)
    .describe('Espera máxima entre reconexiones IMAP / longest wait between IMAP reconnection attempts (with jitter).'),
  EMAIL_FETCH_BATCH: z.coerce.number().int().min(1).max(500).default(20).describe('Correos descargados por comando FETCH / messages fetched from IMAP per command.'),
  KPI_FACTS_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(1000)
    .describe('Cada cuánto este proceso deriva los hechos de KPI del registro de eventos; 0 = no en este proceso (otro trabajador lo hace) / how often this process derives KPI facts from the event log; 0 = not in this process (another worker does).'),
  BILLING_USAGE_REFRESH_MS: z.coerce
    .number()
    .int()
    .min(10_000)
    .max(86_400_000)
    .default(900_000)
    .describe('Cada cuánto se recalculan los hechos de consumo del mes en curso y del anterior / how often the usage facts of the current and previous month are derived again (billing).'),
  APPOINTMENT_REMINDER_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((v) => v === 0 || (v >= 1000 && v <= 3_600_000), '0 or 1000–3600000')
    .default(60_000)
    .describe('Cada cuánto este proceso envía recordatorios de cita, confirmaciones y encuestas posteriores a la visita; 0 = no en este proceso / how often this process sends appointment reminders, confirmation requests and post-visit surveys; 0 = not in this process.'),
  APPOINTMENT_MIRROR_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(5000)
    .describe('Cada cuánto este proceso envía el historial de citas a los sistemas de citas externos (modo espejo); 0 = no en este proceso / how often this process pushes appointment history to external scheduling systems (mirror mode); 0 = not in this process.'),
  APPOINTMENT_RECONCILE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(604_800_000)
    .default(86_400_000)
    .describe('Cada cuánto se concilian las citas con los sistemas externos (desde ayer hasta 91 días adelante); 0 = no en este proceso / how often appointments are reconciled with external scheduling systems (yesterday to 91 days ahead); 0 = not in this process.'),
  PRIVACY_PURGE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .refine((v) => v === 0 || (v >= 60_000 && v <= 86_400_000), '0 or 60000–86400000')
    .default(3_600_000)
    .describe('Cada cuánto este proceso archiva y depura mensajes, adjuntos y grabaciones según la retención de cada campaña (con certificado); 0 = no en este proceso / how often this process archives and purges messages, attachments and recordings per campaign retention (with a certificate); 0 = not in this process.'),
  MASS_SMS_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(20)
    .max(60_000)
    .default(1000)
    .describe('Cada cuánto el despachador de SMS masivos inicia, completa y revisa envíos / how often the mass SMS dispatcher starts due mailings, completes finished ones and refreshes its list.'),
  MASS_SMS_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(2)
    .describe('Envíos de SMS masivos en curso a la vez por proceso / mass SMS sends in flight at once per worker process.'),
  VOICE_BLASTER_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(20)
    .max(60_000)
    .default(1000)
    .describe('Cada cuánto el marcador de mensajes de voz inicia, completa y revisa campañas / how often the voice blaster dialer starts due blasts, completes finished ones and refreshes its list.'),
  WHATSAPP_WEB_CHROMIUM_PATH: z
    .string()
    .min(1)
    .default('/usr/bin/chromium')
    .describe('Chromium del sistema que usa whatsapp-web.js (no se descarga navegador) / system Chromium whatsapp-web.js drives (no browser is downloaded at install).'),
  WHATSAPP_WEB_LOCK_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(600_000)
    .default(30_000)
    .describe('Vigencia del candado Redis de una sesión de WhatsApp Web / TTL of the Redis lock that keeps one WhatsApp Web session per channel in one worker process (renewed while running).'),
  WHATSAPP_WEB_RECONNECT_BASE_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(1000)
    .describe('Primera espera antes de reiniciar una sesión de WhatsApp Web; se duplica / first wait before restarting a disconnected WhatsApp Web session; doubles per failure.'),
  WHATSAPP_WEB_RECONNECT_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(60_000)
    .describe('Espera máxima entre reinicios de WhatsApp Web / longest wait between WhatsApp Web session restarts.'),
  WHATSAPP_WEB_QR_TTL_S: z.coerce
    .number()
    .int()
    .min(5)
    .max(600)
    .default(60)
    .describe('Segundos que se guarda el último código QR en Redis / how long the latest pairing QR code is kept in Redis (WhatsApp rotates it about every 20 s).'),
  WHATSAPP_WEB_RESCAN_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(30_000)
    .describe('Cada cuánto un worker relee los canales de WhatsApp Web / how often a worker re-reads the whatsapp_web channel list to start or stop sessions.'),
  MASS_MAIL_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(500)
    .describe('Cada cuánto un worker arranca los envíos masivos programados y cierra los terminados / how often a worker starts due mass mailings, refreshes the ones sending and marks finished ones completed.'),
  MASS_MAIL_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(5)
    .describe('Correos masivos en vuelo a la vez por proceso (y conexiones SMTP por canal) / mass e-mails in flight at once per worker process (also the SMTP pool size per channel); each holds a database connection while the SMTP server answers.'),
  MASS_MAIL_RETRY_DELAY_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(60_000)
    .describe('Espera antes de reintentar un rechazo temporal SMTP 4xx (se multiplica por el intento) / wait before retrying a recipient after a temporary 4xx SMTP reply, times the attempt number (3 attempts at most).'),
  MASS_MAIL_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(20 * 1024 * 1024)
    .describe('Tamaño máximo de una lista de destinatarios (CSV o TXT) / largest recipient list (CSV or TXT) accepted in one upload.'),
  MASS_MAIL_MAX_RECIPIENTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(5_000_000)
    .default(500_000)
    .describe('Destinatarios máximos por envío masivo / most recipients one mass mailing may hold.'),
  BOT_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(8)
    .describe('Turnos del bot procesados a la vez por proceso / bot turns processed at once per worker process (turns of one conversation always run in order).'),
  BOT_LLM_KIND: z
    .enum(['none', 'openai', 'ollama'])
    .default('none')
    .describe('LLM que redacta respuestas de la base de conocimiento (none: el bot cita el artículo) / LLM that writes knowledge-base answers grounded in the articles (none: the bot quotes the article; everything works without one).'),
  BOT_LLM_BASE_URL: z.url().optional().describe('URL base del servicio LLM (compatible con OpenAI u Ollama) / base URL of the OpenAI-compatible or Ollama service; required unless BOT_LLM_KIND is none.'),
  BOT_LLM_MODEL: z.string().trim().min(1).max(200).optional().describe('Modelo del LLM / model name for the LLM; required unless BOT_LLM_KIND is none.'),
  BOT_LLM_API_KEY: z.string().min(1).optional().describe('Clave del LLM (secreta, nunca se registra) / API key for the LLM (secret, never logged).'),
  BOT_IDLE_SWEEP_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(60_000)
    .describe('Cada cuánto se cierran sesiones del bot sin respuesta del ciudadano / how often a worker cuts off bot sessions idle longer than the model’s idleMinutes.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  LOG_PRETTY: bool.default(false).describe('Human-readable logs (development).'),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe('Puerto de /metrics y /healthz de un proceso HUB_ROLE=worker (sin valor: ninguno; 0: cualquiera libre) / port of the small /metrics + /healthz listener of a worker-only process, on HOST (unset: none; api and all roles serve /metrics on PORT already).'),
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Si tiene valor, /metrics exige Authorization: Bearer <token>; sin valor, restrinja el puerto por red / when set, /metrics (API and worker listener) requires Authorization: Bearer <token>; unset: anyone reaching the port may scrape, restrict it by network.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url()
    .optional()
    .describe('Colector OTLP/HTTP de trazas OpenTelemetry; con valor, el rastreo se activa / OTLP/HTTP collector base URL (spans are posted as JSON to <url>/v1/traces); setting it turns tracing on. Unset: no tracing, no OpenTelemetry module loaded.'),
  OTEL_TRACES_ENABLED: bool
    .optional()
    .describe('Activa (true) o desactiva (false) el rastreo sin importar el colector / forces tracing on (to http://localhost:4318 when no endpoint is set) or off (even with an endpoint).'),
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(100).default('ventanilla-hub').describe('Nombre del servicio en las trazas / service.name of this process in traces.'),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(5000)
    .describe('Milisegundos entre envíos de lotes de trazas al colector / delay between two span batch exports to the collector.'),
  SEED_DEMO: bool.default(false).describe('Seed the demo campaigns and users once at start.'),
}).superRefine((config, ctx) => {
  // An LLM needs somewhere to call and a model to ask; listed with every other problem at once.
  if (config.BOT_LLM_KIND === 'none') return;
  for (const key of ['BOT_LLM_BASE_URL', 'BOT_LLM_MODEL'] as const) {
    if (config[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required when BOT_LLM_KIND is ${config.BOT_LLM_KIND}` });
  }
});

export type Config = z.infer<typeof configSchema>;
