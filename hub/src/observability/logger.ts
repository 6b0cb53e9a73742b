import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config/config.js';
import { maskOfficialIdsInJsonLine, maskOfficialIdsInText, REDACTED, redactLogObject, redactLogValue, redactUrl } from './log-redaction.js';

export type { Logger };

/** Credentials in the shapes we log them (headers of a request or a provider response). */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-ventanilla-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-api-key"]',
  'req.headers["x-official-id"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  'refreshToken',
  '*.refreshToken',
];

function field(source: object, key: string): unknown {
  return (source as Record<string, unknown>)[key];
}

/**
 * A request as one log line shows it (Fastify's request or a raw IncomingMessage): no headers,
 * the URL without credentials or whole official ids (redactUrl).
 */
function serializeRequest(req: unknown): unknown {
  if (req === null || typeof req !== 'object') return req;
  const url = field(req, 'url');
  const socket = field(req, 'socket');
  const remotePort = socket !== null && typeof socket === 'object' ? field(socket, 'remotePort') : undefined;
  return {
    method: field(req, 'method'),
    url: typeof url === 'string' ? redactUrl(url) : url,
    host: field(req, 'host'),
    remoteAddress: field(req, 'ip'),
    remotePort,
  };
}

/** Errors keep type, message and stack (and their own fields), redacted like every other object. */
function serializeError(err: unknown): unknown {
  return redactLogValue(err instanceof Error ? pino.stdSerializers.err(err) : err);
}

/**
 * The hub's logger. Personal data and secrets never reach the logs by accident (issue 12): known
 * header shapes are redacted by path; every other field is censored by name or has its official
 * ids masked (formatters.log); the message itself too (logMethod); and the finished line gets a
 * last pass for CURP/RFC shapes a serializer might have let through (streamWrite).
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>, base: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { pid: process.pid, ...base },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { req: serializeRequest, err: serializeError },
    formatters: {
      log: redactLogObject,
    },
    hooks: {
      logMethod(args, method) {
        for (const [i, arg] of args.entries()) if (typeof arg === 'string') args[i] = maskOfficialIdsInText(arg);
        return method.apply(this, args);
      },
      streamWrite: maskOfficialIdsInJsonLine,
    },
  };
  if (destination) return pino(options, destination);
  return pino({ ...options, ...(config.LOG_PRETTY ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}) });
}
