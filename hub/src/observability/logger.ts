import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger };

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>, base: Record<string, unknown> = {}): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { pid: process.pid, ...base },
    // Personal data never reaches the logs by accident: secrets and bodies are redacted.
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-ventanilla-signature"]', 'password', '*.password', 'refreshToken', '*.refreshToken'],
      censor: '[redactado]',
    },
    ...(config.LOG_PRETTY ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}
