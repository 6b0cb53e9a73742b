import type { ClientProblems } from '../form-problems.js';
import { checkInt } from '../form-problems.js';
import { blankSecrets, checkPattern, checkUrl, secretProblems, withOptionalText } from './provided-secrets.js';
import { boolAt, numberTextAt, textAt, type Settings } from './settings-read.js';

/**
 * Messenger and Instagram (connectors/meta/meta-channel.schema.ts): one Facebook Page and the
 * Instagram account linked to it, answered with the Page's token; the HUMAN_AGENT tag widens
 * the agent's window from 24 hours to 7 days when Meta approved it for the Page.
 */

export const META_SECRET_NAMES = ['pageAccessToken', 'appSecret', 'verifyToken'] as const;
export const META_DEFAULTS = { graphApiVersion: 'v21.0', graphBaseUrl: 'https://graph.facebook.com', humanAgentTag: true, sendTimeoutMs: 10_000 } as const;
const GRAPH_ID = /^\d{1,32}$/;
const GRAPH_VERSION = /^v\d{1,3}\.\d{1,2}$/;

export interface MetaSettingsForm {
  pageId: string;
  instagramAccountId: string;
  graphApiVersion: string;
  graphBaseUrl: string;
  humanAgentTag: boolean;
  sendTimeoutMs: string;
  secrets: Record<string, string>;
}

export function metaSettingsToForm(settings: Settings): MetaSettingsForm {
  return {
    pageId: textAt(settings, 'pageId'),
    instagramAccountId: textAt(settings, 'instagramAccountId'),
    graphApiVersion: textAt(settings, 'graphApiVersion', META_DEFAULTS.graphApiVersion),
    graphBaseUrl: textAt(settings, 'graphBaseUrl', META_DEFAULTS.graphBaseUrl),
    humanAgentTag: boolAt(settings, 'humanAgentTag', META_DEFAULTS.humanAgentTag),
    sendTimeoutMs: numberTextAt(settings, 'sendTimeoutMs', String(META_DEFAULTS.sendTimeoutMs)),
    secrets: blankSecrets(META_SECRET_NAMES),
  };
}

export function metaFormToSettings(form: MetaSettingsForm, base: Settings): Settings {
  const timeout = Number(form.sendTimeoutMs.trim());
  const settings: Settings = {
    ...base,
    pageId: form.pageId.trim(),
    graphApiVersion: form.graphApiVersion.trim(),
    graphBaseUrl: form.graphBaseUrl.trim(),
    humanAgentTag: form.humanAgentTag,
    ...(form.sendTimeoutMs.trim() !== '' && Number.isInteger(timeout) ? { sendTimeoutMs: timeout } : {}),
  };
  return withOptionalText(settings, 'instagramAccountId', form.instagramAccountId);
}

export function validateMetaForm(form: MetaSettingsForm, secretsSet: readonly string[]): ClientProblems {
  const problems: ClientProblems = {};
  checkPattern(problems, 'settings.pageId', form.pageId, GRAPH_ID, 'v.graphId');
  checkPattern(problems, 'settings.instagramAccountId', form.instagramAccountId, GRAPH_ID, 'v.graphId', false);
  checkPattern(problems, 'settings.graphApiVersion', form.graphApiVersion, GRAPH_VERSION, 'v.graphVersion');
  checkUrl(problems, 'settings.graphBaseUrl', form.graphBaseUrl);
  const timeout = checkInt(form.sendTimeoutMs, 100, 60_000);
  if (timeout) problems['settings.sendTimeoutMs'] = timeout;
  secretProblems(problems, form.secrets, META_SECRET_NAMES, secretsSet);
  return problems;
}
