import type { KeyValueStore } from '../../api/auth-session.js';
import type { ConversationListItem } from '../../api/api-types.js';

/**
 * The folio to show for a call that carries none (the hub's Participants API leg has no custom
 * parameters): the open voice conversation this agent holds — the open one on screen first.
 */
export function currentVoiceFolio(conversations: Record<string, ConversationListItem>, me: string, activeId: string | null): string | null {
  const mine = Object.values(conversations).filter((c) => c.channelKind === 'voice' && c.assigneeId === me && c.status === 'assigned');
  const active = mine.find((c) => c.id === activeId);
  if (active) return active.folio;
  const latest = mine.sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  return latest?.folio ?? null;
}

const AUTO_ANSWER_KEY = 'ventanilla.softphone.autoAnswer';

/** Auto-answer is on unless the agent turned it off in this browser. */
export function loadAutoAnswer(store: KeyValueStore | null): boolean {
  return store?.getItem(AUTO_ANSWER_KEY) !== 'false';
}

export function saveAutoAnswer(store: KeyValueStore | null, on: boolean): void {
  store?.setItem(AUTO_ANSWER_KEY, on ? 'true' : 'false');
}
