import { describe, expect, it } from 'vitest';
import { queue, queuesById, T0, waiting } from './router-core.fixtures.js';
import { orderWaiting } from './waiting-order.js';

describe('orderWaiting', () => {
  const queues = queuesById(queue('urgent', {}, 'longest_idle', 1), queue('normal', {}, 'longest_idle', 50));

  it('serves priority 1 first, then the longest waiting, then by id', () => {
    const list = [
      waiting('n-old', 'normal', { enqueuedAt: T0 - 90_000 }),
      waiting('u-new', 'urgent', { enqueuedAt: T0 - 1_000 }),
      waiting('u-b', 'urgent', { enqueuedAt: T0 - 5_000 }),
      waiting('u-a', 'urgent', { enqueuedAt: T0 - 5_000 }),
    ];
    expect(orderWaiting(list, queues).map((c) => c.id)).toEqual(['u-a', 'u-b', 'u-new', 'n-old']);
  });

  it('a conversation’s own priority overrides its queue’s; unknown queues go last', () => {
    const list = [
      waiting('lost', 'nowhere', { enqueuedAt: T0 - 999_000 }),
      waiting('u', 'urgent'),
      waiting('vip', 'normal', { priority: 1, enqueuedAt: T0 - 60_000 }),
    ];
    expect(orderWaiting(list, queues).map((c) => c.id)).toEqual(['vip', 'u', 'lost']);
  });

  it('returns a new array and leaves the input order alone', () => {
    const list = [waiting('b', 'normal'), waiting('a', 'urgent')];
    orderWaiting(list, queues);
    expect(list.map((c) => c.id)).toEqual(['b', 'a']);
  });
});
