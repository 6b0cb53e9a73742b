import { describe, expect, it } from 'vitest';
import { canSendFreeForm, formatRemaining, replyWindow } from './reply-window.js';

const now = Date.parse('2026-11-26T10:00:00Z');
const options = (windowOpen: boolean, windowClosesAt: string | null, windowHours: number | null = 24) => ({ windowHours, windowOpen, windowClosesAt });

describe('customer-service window', () => {
  it('counts down to the hub’s closing time while the window is open', () => {
    const state = replyWindow(options(true, '2026-11-26T13:12:30Z'), now);
    expect(state).toEqual({ state: 'open', closesAt: '2026-11-26T13:12:30Z', remainingMs: 3 * 3600_000 + 12 * 60_000 + 30_000 });
    expect(canSendFreeForm(state)).toBe(true);
  });

  it('closes by itself when the countdown runs out before the next fetch', () => {
    const state = replyWindow(options(true, '2026-11-26T09:59:59Z'), now);
    expect(state).toEqual({ state: 'closed', closedAt: '2026-11-26T09:59:59Z' });
    expect(canSendFreeForm(state)).toBe(false);
  });

  it('believes the hub when it says closed, with or without a closing time', () => {
    expect(replyWindow(options(false, '2026-11-25T08:00:00Z'), now)).toEqual({ state: 'closed', closedAt: '2026-11-25T08:00:00Z' });
    expect(replyWindow(options(false, null), now)).toEqual({ state: 'closed', closedAt: null });
  });

  it('has no window on channels without one (web chat, e-mail)', () => {
    const state = replyWindow(options(true, null, null), now);
    expect(state).toEqual({ state: 'none' });
    expect(canSendFreeForm(state)).toBe(true);
    expect(replyWindow(options(true, null), now)).toEqual({ state: 'open', closesAt: null, remainingMs: null });
  });

  it('says the remaining time in hours and whole minutes, never rounding up', () => {
    expect(formatRemaining(3 * 3600_000 + 12 * 60_000 + 59_000)).toBe('3 h 12 min');
    expect(formatRemaining(2 * 3600_000)).toBe('2 h');
    expect(formatRemaining(45 * 60_000 + 1)).toBe('45 min');
    expect(formatRemaining(59_999)).toBe('< 1 min');
    expect(formatRemaining(-5)).toBe('< 1 min');
  });
});
