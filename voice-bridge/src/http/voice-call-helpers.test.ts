import { describe, expect, it } from 'vitest';
import { appendVerbs, KeyedSerializer } from './voice-call-helpers.js';

describe('appendVerbs', () => {
  it('puts the verbs before </Response>, also into an empty <Response/>', () => {
    const enqueue = '<?xml version="1.0" encoding="UTF-8"?><Response><Enqueue waitUrl="w">q</Enqueue></Response>';
    expect(appendVerbs('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hola</Say></Response>', enqueue)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hola</Say><Enqueue waitUrl="w">q</Enqueue></Response>',
    );
    expect(appendVerbs('<?xml version="1.0" encoding="UTF-8"?><Response/>', enqueue)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Enqueue waitUrl="w">q</Enqueue></Response>',
    );
  });
});

describe('KeyedSerializer', () => {
  it('runs work of one call in order, even when an earlier one fails, and forgets finished keys', async () => {
    const serializer = new KeyedSerializer();
    const order: string[] = [];
    const slow = serializer.run('CA1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('first');
      throw new Error('store down');
    });
    const fast = serializer.run('CA1', async () => {
      order.push('second');
      return 2;
    });
    const other = serializer.run('CA2', async () => {
      order.push('other call');
    });
    await expect(slow).rejects.toThrow('store down');
    await expect(fast).resolves.toBe(2);
    await other;
    expect(order).toEqual(['other call', 'first', 'second']);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(serializer.size).toBe(0);
  });
});
