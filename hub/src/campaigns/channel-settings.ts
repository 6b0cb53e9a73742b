import type { z } from 'zod';
import { channelRegistry, type ChannelKind } from '@ventanilla/connectors/core';
import { HubError } from '../errors/error-registry.js';
import { bilingual, bilingualErrorMap, pathOf } from '../router/config/routing-problem.js';

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

/**
 * Zod's own texts are English only, and an admin reads these next to a field of a Spanish form.
 * Messages a connector schema words itself take precedence over this map.
 */
function settingsErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  const bound = (value: number | bigint) => String(value);
  switch (issue.code) {
    case 'invalid_format':
      return issue.format === 'email' ? bilingual('correo electrónico no válido', 'invalid e-mail address') : bilingual('formato no válido', 'invalid format');
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return bilingual('no puede quedar vacío', 'must not be empty');
      if (issue.origin === 'string') return bilingual(`mínimo ${bound(issue.minimum)} caracteres`, `at least ${bound(issue.minimum)} characters`);
      if (issue.origin === 'array') return bilingual(`al menos ${bound(issue.minimum)} elementos`, `at least ${bound(issue.minimum)} items`);
      return bilingual(`el mínimo es ${bound(issue.minimum)}`, `the minimum is ${bound(issue.minimum)}`);
    case 'too_big':
      if (issue.origin === 'string') return bilingual(`máximo ${bound(issue.maximum)} caracteres`, `at most ${bound(issue.maximum)} characters`);
      if (issue.origin === 'array') return bilingual(`máximo ${bound(issue.maximum)} elementos`, `at most ${bound(issue.maximum)} items`);
      return bilingual(`el máximo es ${bound(issue.maximum)}`, `the maximum is ${bound(issue.maximum)}`);
    default:
      return bilingualErrorMap(issue);
  }
}

/** The kind's settings as the adapter's schema reads them (defaults filled in), or a 400 naming each field. */
export function parseChannelSettings(kind: ChannelKind, settings: unknown): Record<string, unknown> {
  // `queueId: null` asks the hub to drop the channel's own queue (campaigns.routes.ts,
  // routingSettings); it is not the adapter's to read, and a strict schema (voice) would refuse it.
  const input = isPlainObject(settings) && settings['queueId'] === null ? Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'queueId')) : settings;
  const parsed = channelRegistry[kind].settingsSchema.safeParse(input, { error: settingsErrorMap });
  if (!parsed.success) throw channelValidationError(parsed.error.issues.map((issue) => ({ path: pathOf(['settings', ...issue.path]), message: issue.message })));
  // Every adapter's settings schema is a z.object; anything else would be a registry bug.
  if (!isPlainObject(parsed.data)) throw new HubError('HUB_ERR_INTERNAL', `settings of "${kind}" channels are not an object`);
  return parsed.data;
}
