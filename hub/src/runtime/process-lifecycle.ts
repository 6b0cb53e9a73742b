import { ConfigError } from '../config/config.js';
import { StartupError } from './redis.js';

/** SIGINT/SIGTERM stop the process gracefully; a second signal or 15 s forces the exit. */
export function installShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`\n${signal}: deteniendo / stopping…\n`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

/** Configuration and missing services are explained in plain words, with distinct exit codes. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  if (error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(69);
  }
  process.stderr.write(`No se pudo iniciar el hub / the hub could not start:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
