import { describe, expect, it } from 'vitest';
import type { ConversationListItem } from '../../api/api-types.js';
import type { KeyValueStore } from '../../api/auth-session.js';
import { currentVoiceFolio, loadAutoAnswer, saveAutoAnswer } from './softphone-context.js';

function conv(id: string, folio: string, over: Partial<ConversationListItem> = {}): ConversationListItem {
  const base: ConversationListItem = {
    id,
    folio,
    campaignId: 'camp-1',
    channelId: 'chan-1',
    channelKind: 'voice',
    contactId: 'contact-1',
    contactName: null,
    status: 'assigned',
    priority: 0,
    assigneeId: 'me',
    unreadCount: 0,
    openedAt: '2026-11-26T10:00:00.000Z',
    lastMessageAt: '2026-11-26T10:00:00.000Z',
    queueId: null,
    channelClass: 'voice',
    lastInboundAt: null,
    lastOutboundAt: null,
    assigneeName: null,
  };
  return { ...base, ...over };
}

function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

describe('currentVoiceFolio', () => {
  it('prefers the voice conversation on screen, else the newest one the agent holds', () => {
    const list = {
      a: conv('a', 'CDMX-1', { openedAt: '2026-11-26T09:00:00.000Z' }),
      b: conv('b', 'CDMX-2', { openedAt: '2026-11-26T11:00:00.000Z' }),
      c: conv('c', 'CDMX-3', { channelKind: 'whatsapp', openedAt: '2026-11-26T12:00:00.000Z' }),
      d: conv('d', 'CDMX-4', { assigneeId: 'other', openedAt: '2026-11-26T13:00:00.000Z' }),
      e: conv('e', 'CDMX-5', { status: 'resolved', openedAt: '2026-11-26T14:00:00.000Z' }),
    };
    expect(currentVoiceFolio(list, 'me', 'a')).toBe('CDMX-1');
    expect(currentVoiceFolio(list, 'me', 'c')).toBe('CDMX-2');
    expect(currentVoiceFolio(list, 'me', null)).toBe('CDMX-2');
    expect(currentVoiceFolio({}, 'me', null)).toBeNull();
  });
});

describe('auto-answer preference', () => {
  it('is on by default and remembers the agent turning it off', () => {
    const store = memoryStore();
    expect(loadAutoAnswer(store)).toBe(true);
    expect(loadAutoAnswer(null)).toBe(true);
    saveAutoAnswer(store, false);
    expect(loadAutoAnswer(store)).toBe(false);
    saveAutoAnswer(store, true);
    expect(loadAutoAnswer(store)).toBe(true);
  });
});
