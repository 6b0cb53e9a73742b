import { describe, expect, it } from 'vitest';
import { agent, queue, queuesById, T0, waiting } from '../core/router-core.fixtures.js';
import type { AgentSnapshot } from '../core/router.types.js';
import { queueTreatmentMessage } from './queue-treatment-message.js';
import {
  EMPTY_HISTORY,
  blendedHandleTimeMs,
  freeSeats,
  historyKey,
  notificationsToSend,
  parseStoredTreatment,
  planQueueTreatment,
  type ConversationTreatment,
  type StoredTreatment,
  type TreatmentCandidate,
  type WaitHistory,
} from './treatment-plan.js';

const MIN = 60_000;
const general = queue('general', {});
const queues = queuesById(general);
const full = agent('ana', {}, { load: { text: 4 } });

function candidate(id: string, secondsWaiting: number, extra: Partial<TreatmentCandidate> = {}): TreatmentCandidate {
  const enqueuedAt = T0 - secondsWaiting * 1000;
  return { ...waiting(id, 'general', { enqueuedAt }), queueEnteredAt: enqueuedAt, afterHours: false, stored: null, ...extra };
}

function sent(position: number, minutes: number, secondsAgo: number): StoredTreatment {
  const display = { position, wait: { kind: 'minutes' as const, minutes } };
  const at = new Date(T0 - secondsAgo * 1000).toISOString();
  return { position, estimatedWaitMs: minutes * MIN, method: 'capacity_default_aht', display, updatedAt: at, sentAt: at, sentDisplay: display };
}

const plan = (list: TreatmentCandidate[], agents: AgentSnapshot[] = [full], history: WaitHistory = EMPTY_HISTORY, now = T0) =>
  planQueueTreatment({ waiting: list, queues, agents, history, now });
const byId = (treatments: ConversationTreatment[]) => new Map(treatments.map((t) => [t.conversation.id, t]));

describe('planQueueTreatment', () => {
  it('one agent with 4 chats, all busy: the 5th and 6th citizens are 1st and 2nd, 1.5 → 2 min and 3 min', () => {
    const result = byId(plan([candidate('c6', 5), candidate('c5', 10)]));
    expect(result.get('c5')).toMatchObject({ position: 1, estimate: { ms: 1.5 * MIN, method: 'capacity_default_aht' }, changed: true, notify: 'first' });
    expect(result.get('c6')).toMatchObject({ position: 2, estimate: { ms: 3 * MIN }, notify: 'first' });
    expect(queueTreatmentMessage(result.get('c5')!.display)).toBe('Usted es la siguiente persona en la fila; tiempo estimado de espera: 2 min.');
    expect(queueTreatmentMessage(result.get('c6')!.display)).toBe('Su lugar en la fila es 2; tiempo estimado de espera: 3 min.');
  });

  it('does not tell a citizen to wait when a free seat takes them at the next routing pass', () => {
    const oneFree = agent('ana', {}, { load: { text: 3 } });
    const result = byId(plan([candidate('c5', 10), candidate('c6', 5)], [oneFree]));
    expect(result.get('c5')?.notify).toBeNull();
    expect(result.get('c6')?.notify).toBe('first');
  });

  it('waits firstNoticeAfterMs in the queue, and says nothing outside business hours', () => {
    const result = byId(plan([candidate('new', 0.5), candidate('closed', 30, { afterHours: true })]));
    expect(result.get('new')).toMatchObject({ notify: null, changed: true });
    expect(result.get('closed')).toMatchObject({ position: 1, notify: null, changed: true });
  });

  it('tells at once who became next; holds other changes for the throttle; nothing when unchanged', () => {
    const list = [
      candidate('next', 60, { stored: sent(2, 2, 5) }),
      candidate('moved', 50, { stored: sent(3, 3, 5) }),
      candidate('slower', 40, { stored: sent(3, 3, 5) }),
      candidate('old', 30, { stored: sent(6, 9, 61) }),
    ];
    const result = byId(plan(list, [agent('ana', {}, { load: { text: 4 }, capacity: { text: 2 } })]));
    // Pool of 2 seats, default AHT 6 min: positions 1–4 read 3, 6, 9 and 12 min.
    expect(result.get('next')).toMatchObject({ position: 1, notify: 'next_in_line', changed: true });
    expect(result.get('moved')).toMatchObject({ position: 2, notify: null, changed: true });
    expect(result.get('slower')).toMatchObject({ position: 3, display: { position: 3, wait: { kind: 'minutes', minutes: 9 } }, changed: true, notify: null });
    expect(result.get('old')).toMatchObject({ position: 4, notify: 'update' });
    const unchanged = byId(plan([candidate('a', 60, { stored: sent(1, 2, 5) })]));
    expect(unchanged.get('a')).toMatchObject({ changed: false, notify: null });
  });

  it('counts agents in after-contact work in the pool, never as a free seat', () => {
    const wrapUp = agent('luis', {}, { state: 'after_contact_work' });
    expect(freeSeats(wrapUp, 'text')).toBe(0);
    const result = byId(plan([candidate('c1', 10)], [full, wrapUp]));
    expect(result.get('c1')).toMatchObject({ position: 1, estimate: { ms: 0.75 * MIN }, notify: 'first' });
  });

  it('uses the rate of the pool once it completed 10 sessions in the window, and the queue AHT otherwise', () => {
    const busy: WaitHistory = { windowMs: 15 * MIN, completions: new Map([[historyKey('ana', 'text'), 30]]), handleTimes: new Map() };
    expect(byId(plan([candidate('c1', 10), candidate('c2', 5)], [full], busy)).get('c2')?.estimate).toEqual({ ms: 1 * MIN, method: 'rate' });
    const slow: WaitHistory = { windowMs: 15 * MIN, completions: new Map(), handleTimes: new Map([[historyKey('general', 'text'), { sessions: 95, totalMs: 95 * 12 * MIN }]]) };
    // (95 × 12 + 5 × 6) ÷ 100 = 11.7 min per session, 4 seats: 1 × 11.7 ÷ 4.
    const estimate = byId(plan([candidate('c1', 10)], [full], slow)).get('c1')?.estimate;
    expect(estimate?.method).toBe('capacity');
    expect(estimate?.ms).toBeCloseTo((11.7 * MIN) / 4);
  });

  it('gives no estimate (unknown) and still a position when nobody staffed qualifies', () => {
    const result = byId(plan([candidate('c1', 10)], [agent('ana', {}, { state: 'lunch' })]));
    expect(result.get('c1')).toMatchObject({ position: 1, estimate: null, notify: 'first' });
    expect(queueTreatmentMessage(result.get('c1')!.display)).toBe('Usted es la siguiente persona en la fila; en breve le atenderemos.');
  });
});

describe('blendedHandleTimeMs', () => {
  it('pulls a short history towards the default, and lets a long one speak', () => {
    expect(blendedHandleTimeMs(undefined, 6 * MIN, 5)).toBeNull();
    expect(blendedHandleTimeMs({ sessions: 0, totalMs: 0 }, 6 * MIN, 5)).toBeNull();
    expect(blendedHandleTimeMs({ sessions: 1, totalMs: 20_000 }, 6 * MIN, 5)).toBeCloseTo((20_000 + 5 * 6 * MIN) / 6);
    expect(blendedHandleTimeMs({ sessions: 1, totalMs: 20_000 }, 6 * MIN, 0)).toBe(20_000);
    expect(blendedHandleTimeMs({ sessions: 995, totalMs: 995 * 2 * MIN }, 6 * MIN, 5)).toBeCloseTo(2.02 * MIN);
  });
});

describe('notificationsToSend', () => {
  it('sends "you are next" first, then first notices, then updates, front of the line first, up to the cap', () => {
    const list = [
      candidate('f5', 60),
      candidate('u2', 80, { stored: sent(9, 9, 120) }),
      candidate('n1', 90, { stored: sent(2, 2, 5) }),
      candidate('f3', 70),
    ];
    const result = plan(list, [agent('ana', {}, { load: { text: 4 }, capacity: { text: 1 } })]);
    expect(result.map((t) => [t.conversation.id, t.position, t.notify])).toEqual([
      ['f5', 4, 'first'],
      ['u2', 2, 'update'],
      ['n1', 1, 'next_in_line'],
      ['f3', 3, 'first'],
    ]);
    expect(notificationsToSend(result, 10).map((t) => t.conversation.id)).toEqual(['n1', 'f3', 'f5', 'u2']);
    expect(notificationsToSend(result, 2).map((t) => t.conversation.id)).toEqual(['n1', 'f3']);
    expect(notificationsToSend(result, 0)).toEqual([]);
  });
});

describe('parseStoredTreatment', () => {
  it('reads what the refresh writes, and treats anything else as nothing stored', () => {
    const stored = sent(2, 3, 10);
    expect(parseStoredTreatment(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    const computedOnly = { ...stored, sentAt: undefined, sentDisplay: undefined };
    expect(parseStoredTreatment(computedOnly)).toMatchObject({ position: 2 });
    for (const bad of [null, 'x', {}, { ...stored, position: 0 }, { ...stored, display: { position: 1, wait: { kind: 'soon' } } }]) {
      expect(parseStoredTreatment(bad)).toBeNull();
    }
  });
});
