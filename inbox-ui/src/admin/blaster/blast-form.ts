import type { BlastCreateInput } from './blaster-api.js';

/**
 * The "new voice campaign" form as the browser holds it (strings), and what the hub is sent.
 * Pure: the section renders it, the test checks it.
 */
export type BlastAction = 'agent' | 'confirm' | 'decline' | 'repeat' | 'optout';
export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

export interface BlastFormState {
  name: string;
  channelId: string;
  messageText: string;
  audioUrl: string;
  options: Partial<Record<(typeof KEYS)[number], BlastAction>>;
  queueId: string;
  startAt: string;
  anyTime: boolean;
  windowStart: string;
  windowEnd: string;
  callsPerMinute: string;
  maxConcurrent: string;
  maxAttempts: string;
  retryMinutes: string;
  machinePolicy: 'leave_message' | 'hang_up';
  list: string;
}

export function emptyBlastForm(channelId: string): BlastFormState {
  return {
    name: '',
    channelId,
    messageText: '',
    audioUrl: '',
    options: { '1': 'agent', '2': 'confirm', '3': 'decline', '9': 'repeat' },
    queueId: '',
    startAt: '',
    anyTime: false,
    windowStart: '09:00',
    windowEnd: '20:00',
    callsPerMinute: '10',
    maxConcurrent: '5',
    maxAttempts: '2',
    retryMinutes: '30',
    machinePolicy: 'leave_message',
    list: '',
  };
}

export type BlastFormField = 'name' | 'channelId' | 'messageText' | 'options' | 'window' | 'callsPerMinute' | 'maxConcurrent' | 'maxAttempts' | 'retryMinutes' | 'list';

function int(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** Fields the browser can already tell are wrong (the hub checks everything again). */
export function blastFormProblems(s: BlastFormState): BlastFormField[] {
  const problems: BlastFormField[] = [];
  if (s.name.trim() === '') problems.push('name');
  if (s.channelId === '') problems.push('channelId');
  if (s.messageText.trim() === '' && s.audioUrl.trim() === '') problems.push('messageText');
  const actions = Object.values(s.options);
  if (new Set(actions).size !== actions.length) problems.push('options');
  if (!s.anyTime && !(s.windowStart < s.windowEnd)) problems.push('window');
  if (int(s.callsPerMinute, 1, 600) === null) problems.push('callsPerMinute');
  if (int(s.maxConcurrent, 1, 500) === null) problems.push('maxConcurrent');
  if (int(s.maxAttempts, 1, 5) === null) problems.push('maxAttempts');
  if (int(s.retryMinutes, 0, 1440) === null) problems.push('retryMinutes');
  if (s.list.trim() === '') problems.push('list');
  return problems;
}

export function toCreateInput(s: BlastFormState, campaignId: string): BlastCreateInput {
  return {
    campaignId,
    channelId: s.channelId,
    name: s.name.trim(),
    ...(s.messageText.trim() ? { messageText: s.messageText.trim() } : {}),
    ...(s.audioUrl.trim() ? { audioUrl: s.audioUrl.trim() } : {}),
    options: Object.fromEntries(Object.entries(s.options).filter((entry): entry is [string, BlastAction] => entry[1] !== undefined)),
    ...(s.queueId ? { queueId: s.queueId } : {}),
    ...(s.startAt ? { startAt: new Date(s.startAt).toISOString() } : {}),
    window: s.anyTime ? null : { start: s.windowStart, end: s.windowEnd },
    callsPerMinute: Number(s.callsPerMinute),
    maxConcurrent: Number(s.maxConcurrent),
    maxAttempts: Number(s.maxAttempts),
    retryDelaySeconds: Number(s.retryMinutes) * 60,
    machinePolicy: s.machinePolicy,
    list: s.list,
  };
}
