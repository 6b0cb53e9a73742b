import { cannedVariablesIn } from '../../../hub/src/inbox/canned-variables.js';
import {
  CAMPAIGN_SLUG_PATTERN,
  CANNED_LIMITS,
  CANNED_SHORTCUT_PATTERN,
  CAPACITY_LIMITS,
  CHANNEL_CLASSES,
  FOLIO_PREFIX_PATTERN,
  KB_LIMITS,
  MAX_SKILL_LEVEL,
  MIN_SKILL_LEVEL,
  PASSWORD_MIN,
  SKILL_NAME_PATTERN,
  type ChannelClass,
} from './admin-limits.js';
import type { ChannelForm } from './channel-form.js';
import { validateEmailForm } from './channels/email-settings-form.js';
import { validateWebchatForm } from './channels/webchat-settings-form.js';
import { checkInt, type ClientProblems } from './form-problems.js';

/** The browser's checks for the smaller forms; paths are the request body's, as the hub names them. */

function text(problems: ClientProblems, path: string, value: string, max: number, required = true): void {
  const trimmed = value.trim();
  if (trimmed === '') {
    if (required) problems[path] = { key: 'v.required' };
  } else if (trimmed.length > max) problems[path] = { key: 'v.maxLength', values: { max } };
}

export function validateCampaign(input: { slug: string; name: string; folioPrefix: string; timeZone: string }, isTimeZone: (z: string) => boolean, creating: boolean): ClientProblems {
  const problems: ClientProblems = {};
  if (creating) {
    if (input.slug.trim() === '') problems['slug'] = { key: 'v.required' };
    else if (!CAMPAIGN_SLUG_PATTERN.test(input.slug.trim())) problems['slug'] = { key: 'v.slug' };
    if (input.folioPrefix.trim() === '') problems['folioPrefix'] = { key: 'v.required' };
    else if (!FOLIO_PREFIX_PATTERN.test(input.folioPrefix.trim())) problems['folioPrefix'] = { key: 'v.folioPrefix' };
  }
  const name = input.name.trim();
  if (name.length < 2) problems['name'] = { key: 'v.minLength', values: { min: 2 } };
  else if (name.length > 120) problems['name'] = { key: 'v.maxLength', values: { max: 120 } };
  if (input.timeZone.trim() === '') problems['timeZone'] = { key: 'v.required' };
  else if (!isTimeZone(input.timeZone.trim())) problems['timeZone'] = { key: 'v.timeZone' };
  return problems;
}

/** Name, then the fields of the channel's kind; `secretsSet` names the passwords the hub already holds. */
export function validateChannel(form: ChannelForm, secretsSet: readonly string[] = []): ClientProblems {
  const problems: ClientProblems = {};
  const name = form.name.trim();
  if (name.length < 2) problems['name'] = { key: 'v.minLength', values: { min: 2 } };
  else if (name.length > 120) problems['name'] = { key: 'v.maxLength', values: { max: 120 } };
  if (form.kind === 'webchat') return { ...problems, ...validateWebchatForm(form.webchat) };
  if (form.kind === 'email') return { ...problems, ...validateEmailForm(form.email, secretsSet) };
  if (form.kind !== 'api') return problems;
  const url = form.api.callbackUrl.trim();
  if (url !== '' && !isHttpUrl(url)) problems['settings.callbackUrl'] = { key: 'v.url' };
  const timeout = checkInt(form.api.callbackTimeoutMs, 100, 60_000, false);
  if (timeout) problems['settings.callbackTimeoutMs'] = timeout;
  return problems;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function validateSkillName(name: string, existing: readonly string[]): ClientProblems {
  const trimmed = name.trim();
  if (trimmed === '') return { name: { key: 'v.required' } };
  if (!SKILL_NAME_PATTERN.test(trimmed)) return { name: { key: 'v.skillName' } };
  if (existing.includes(trimmed)) return { name: { key: 'v.duplicate' } };
  return {};
}

/** "Atención a pensiones" → "atencion_a_pensiones": a suggestion for the skill name field. */
export function toSkillName(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateUser(input: { email: string; displayName: string; password: string; roles: readonly string[] }, creating: boolean): ClientProblems {
  const problems: ClientProblems = {};
  if (creating) {
    if (input.email.trim() === '') problems['email'] = { key: 'v.required' };
    else if (!EMAIL.test(input.email.trim())) problems['email'] = { key: 'v.email' };
    if (input.password.length < PASSWORD_MIN) problems['password'] = { key: 'v.minLength', values: { min: PASSWORD_MIN } };
  }
  text(problems, 'displayName', input.displayName, 120);
  if (input.roles.length === 0) problems['roles'] = { key: 'v.roles' };
  return problems;
}

/** Capacity override fields: empty = the campaign's default. */
export function validateCapacity(input: Record<ChannelClass, string>): ClientProblems {
  const problems: ClientProblems = {};
  for (const c of CHANNEL_CLASSES) {
    const p = checkInt(input[c], CAPACITY_LIMITS[c].min, CAPACITY_LIMITS[c].max, false);
    if (p) problems[c] = p;
  }
  return problems;
}

export function validateAgentSkills(levels: Record<string, string>): ClientProblems {
  const problems: ClientProblems = {};
  for (const [skillId, level] of Object.entries(levels)) {
    const p = checkInt(level, MIN_SKILL_LEVEL, MAX_SKILL_LEVEL, false);
    if (p) problems[`skills.${skillId}`] = p;
  }
  return problems;
}

export function validateCanned(input: { shortcut: string; title: string; body: string }, otherShortcuts: readonly string[]): ClientProblems {
  const problems: ClientProblems = {};
  const shortcut = input.shortcut.trim();
  if (shortcut === '') problems['shortcut'] = { key: 'v.required' };
  else if (!CANNED_SHORTCUT_PATTERN.test(shortcut)) problems['shortcut'] = { key: 'v.shortcut' };
  else if (otherShortcuts.includes(shortcut)) problems['shortcut'] = { key: 'v.duplicate' };
  text(problems, 'title', input.title, CANNED_LIMITS.title);
  text(problems, 'body', input.body, CANNED_LIMITS.body);
  if (!problems['body']) {
    const { unknown, unclosed } = cannedVariablesIn(input.body);
    if (unknown.length > 0) problems['body'] = { key: 'v.cannedUnknown', values: { names: unknown.map((v) => `{{${v}}}`).join(', ') } };
    else if (unclosed) problems['body'] = { key: 'v.cannedUnclosed' };
  }
  return problems;
}

/** "trámite, pensión,  IMSS" → ["trámite", "pensión", "IMSS"], case-insensitively unique. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return tags.filter((t, i) => tags.findIndex((o) => o.toLowerCase() === t.toLowerCase()) === i);
}

export function validateKb(input: { title: string; body: string; topic: string; tags: string }): ClientProblems {
  const problems: ClientProblems = {};
  text(problems, 'title', input.title, KB_LIMITS.title);
  text(problems, 'body', input.body, KB_LIMITS.body);
  text(problems, 'topic', input.topic, KB_LIMITS.topic);
  const tags = parseTags(input.tags);
  if (tags.length > KB_LIMITS.tags) problems['tags'] = { key: 'v.maxItems', values: { max: KB_LIMITS.tags } };
  else if (tags.some((t) => t.length > KB_LIMITS.tag)) problems['tags'] = { key: 'v.tagLength', values: { max: KB_LIMITS.tag } };
  return problems;
}
