import { describe, expect, it } from 'vitest';
import type { InternalMessageView } from '@ventanilla/hub/realtime-contract';
import { applyMessage, applyReceipt, appendToThread, clearUnread, totalUnread } from './internal-messages-state.js';

const msg = (over: Partial<InternalMessageView>): InternalMessageView => ({
  id: 'm1',
  campaignId: 'c1',
  fromUserId: 'sup',
  fromName: 'Supervisora',
  toUserId: 'me',
  toName: 'Yo',
  body: 'hola',
  createdAt: '2026-11-26T10:00:00.000Z',
  readAt: null,
  ...over,
});

describe('internal messages panel state', () => {
  it('counts a received message as unread unless its thread is open, and moves the thread to the top', () => {
    const start = [{ userId: 'other', displayName: 'Otro', lastBody: 'x', lastAt: '2026-11-26T09:00:00.000Z', unreadCount: 2 }];
    const closed = applyMessage(start, 'me', msg({}), null);
    expect(closed.map((t) => [t.userId, t.unreadCount, t.lastBody])).toEqual([
      ['sup', 1, 'hola'],
      ['other', 2, 'x'],
    ]);
    expect(totalUnread(closed)).toBe(3);
    expect(applyMessage(closed, 'me', msg({ id: 'm2' }), 'sup')[0]!.unreadCount).toBe(1);
    expect(applyMessage(closed, 'me', msg({ id: 'm3' }), null)[0]!.unreadCount).toBe(2);
    expect(totalUnread(clearUnread(closed, 'sup'))).toBe(2);
  });

  it('an own sent message names the recipient and adds no unread', () => {
    const out = applyMessage([], 'me', msg({ fromUserId: 'me', fromName: 'Yo', toUserId: 'sup', toName: 'Supervisora' }), null);
    expect(out).toEqual([{ userId: 'sup', displayName: 'Supervisora', lastBody: 'hola', lastAt: '2026-11-26T10:00:00.000Z', unreadCount: 0 }]);
  });

  it('appends once and applies read receipts', () => {
    const one = appendToThread([], msg({}));
    expect(appendToThread(one, msg({}))).toHaveLength(1);
    expect(applyReceipt(one, 'm1', '2026-11-26T10:01:00.000Z')[0]!.readAt).toBe('2026-11-26T10:01:00.000Z');
    expect(applyReceipt(one, 'zz', 'x')[0]!.readAt).toBeNull();
  });
});
