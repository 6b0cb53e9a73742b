import { randomBytes } from 'node:crypto';
import { channelRegistry, isChannelKind, type ChannelAdapter } from '@ventanilla/connectors/core';
import { bilingual } from '../router/config/routing-problem.js';
import { channelValidationError, type ChannelProblem } from './channel-settings.js';

export const SECRET_MAX_LENGTH = 500;

type SecretSource = ChannelAdapter['secretSource'];

/**
 * How a channel kind's secrets are handled by the admin API. 'generated' secrets (a webhook
 * signing key) are drawn by the hub and shown once; 'provided' ones (the IMAP and SMTP passwords
 * of a ministry's own mail server) are typed by the admin, stored, and never shown back — not even
 * in the response that stored them.
 */
export interface ChannelSecretPolicy {
  readonly names: readonly string[];
  readonly source: SecretSource;
  /** Fresh random values for every name ('generated' kinds); `{}` for 'provided' kinds. */
  generate(): Record<string, string>;
  /** The secrets a create/update body may carry; throws HUB_ERR_VALIDATION naming each bad field. */
  accept(given: Readonly<Record<string, string>> | undefined): Record<string, string>;
  /** Throws HUB_ERR_VALIDATION when the kind's secrets cannot be rotated (admins type them instead). */
  assertRotatable(): void;
  /** The names that have a stored value, so a form can say "contraseña guardada" without reading it. */
  setIn(stored: Readonly<Record<string, unknown>>): string[];
}

export function secretPolicyOf(kind: string): ChannelSecretPolicy {
  // A row whose kind the registry no longer knows has no secrets the API may touch.
  const names: readonly string[] = isChannelKind(kind) ? channelRegistry[kind].secretNames : [];
  const source: SecretSource = isChannelKind(kind) ? channelRegistry[kind].secretSource : 'generated';
  return {
    names,
    source,
    generate: () => (source === 'generated' ? Object.fromEntries(names.map((name) => [name, randomBytes(32).toString('hex')])) : {}),
    accept(given) {
      if (given === undefined) return {};
      const problems: ChannelProblem[] = Object.keys(given).flatMap((name): ChannelProblem[] => {
        const path = `secrets.${name}`;
        if (!names.includes(name)) {
          const allowed = names.length > 0 ? names.join(', ') : '—';
          return [{ path, message: bilingual(`secreto desconocido para canales «${kind}»; se admiten: ${allowed}`, `unknown secret for "${kind}" channels; allowed: ${allowed}`) }];
        }
        if (source === 'generated') {
          return [{ path, message: bilingual('el hub genera este secreto; use «rotateSecrets» para emitir otro', 'the hub generates this secret; use rotateSecrets to issue a new one') }];
        }
        return [];
      });
      if (problems.length > 0) throw channelValidationError(problems);
      return { ...given };
    },
    assertRotatable() {
      if (source === 'provided') {
        throw channelValidationError([
          {
            path: 'rotateSecrets',
            message: bilingual('los secretos de este canal los escribe el administrador; envíe «secrets» con los nuevos valores', "this channel's secrets are typed by an admin; send the new values in secrets"),
          },
        ]);
      }
    },
    setIn: (stored) => names.filter((name) => typeof stored[name] === 'string' && stored[name] !== ''),
  };
}
