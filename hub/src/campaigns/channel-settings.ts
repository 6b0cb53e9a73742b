import { channelRegistry, type ChannelKind } from '@ventanilla/connectors/core';
import { HubError } from '../errors/error-registry.js';
import { bilingualErrorMap, pathOf } from '../router/config/routing-problem.js';

/** One rejected field of a channel body, with the body's own dotted path (`settings.imap.host`). */
export interface ChannelProblem {
  path: string;
  message: string;
}

/**
 * A 400 the admin console can place field by field: `details` is the `[{path, message}]` list the
 * console reads (form-problems.ts), and the message joins "path: es / en" parts with "; " so each
 * part can be cut to the reader's language.
 */
export function channelValidationError(problems: readonly ChannelProblem[]): HubError {
  return new HubError('HUB_ERR_VALIDATION', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kind's settings as the adapter's schema reads them (defaults filled in), or a 400 naming each field. */
export function parseChannelSettings(kind: ChannelKind, settings: unknown): Record<string, unknown> {
  const parsed = channelRegistry[kind].settingsSchema.safeParse(settings, { error: bilingualErrorMap });
  if (!parsed.success) throw channelValidationError(parsed.error.issues.map((issue) => ({ path: pathOf(['settings', ...issue.path]), message: issue.message })));
  // Every adapter's settings schema is a z.object; anything else would be a registry bug.
  if (!isPlainObject(parsed.data)) throw new HubError('HUB_ERR_INTERNAL', `settings of "${kind}" channels are not an object`);
  return parsed.data;
}
