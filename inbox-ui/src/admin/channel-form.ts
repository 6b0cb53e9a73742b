import type { AdminChannel } from './admin-types.js';
import { parseIntStrict } from './form-problems.js';

/**
 * The channel editor. The API channel (connectors/api) has two settings, a callback URL and its
 * timeout; any other key already stored is kept as it is, since PATCH replaces `settings` whole.
 */
export interface ChannelForm {
  kind: string;
  name: string;
  enabled: boolean;
  callbackUrl: string;
  callbackTimeoutMs: string;
  other: Record<string, unknown>;
}

export function emptyChannelForm(): ChannelForm {
  return { kind: 'api', name: '', enabled: true, callbackUrl: '', callbackTimeoutMs: '', other: {} };
}

export function channelToForm(channel: AdminChannel): ChannelForm {
  const { callbackUrl, callbackTimeoutMs, ...other } = channel.settings;
  return {
    kind: channel.kind,
    name: channel.name,
    enabled: channel.enabled,
    callbackUrl: typeof callbackUrl === 'string' ? callbackUrl : '',
    callbackTimeoutMs: typeof callbackTimeoutMs === 'number' ? String(callbackTimeoutMs) : '',
    other,
  };
}

export function formToSettings(form: ChannelForm): Record<string, unknown> {
  const url = form.callbackUrl.trim();
  const timeout = parseIntStrict(form.callbackTimeoutMs);
  return { ...form.other, ...(url ? { callbackUrl: url } : {}), ...(timeout !== null ? { callbackTimeoutMs: timeout } : {}) };
}
