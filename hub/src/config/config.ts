import { type z } from 'zod';
import { configSchema, type Config } from './config.schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuración inválida / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A copy of the process environment, for entry points that add defaults before loadConfig. */
export function readEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}

/** Validates the environment once; throws ConfigError listing every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error));
  return parsed.data;
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)';
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    return missing ? `${key}: required but not set` : `${key}: ${issue.message}`;
  });
}

export type { Config };
