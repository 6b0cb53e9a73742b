import { describe, expect, it } from 'vitest';
import { rooms, STAFF_NAMESPACE } from '@ventanilla/hub/realtime-contract';
import { EventDeduper } from './staff-socket.js';

describe('inbox realtime client', () => {
  it('drops an event id it has already seen, and forgets the oldest beyond its capacity', () => {
    const dedupe = new EventDeduper(2);
    expect(dedupe.firstTime('1')).toBe(true);
    expect(dedupe.firstTime('1')).toBe(false);
    expect(dedupe.firstTime('2')).toBe(true);
    expect(dedupe.firstTime('3')).toBe(true);
    expect(dedupe.firstTime('1')).toBe(true);
  });

  it('uses the room names and namespace of the shared contract', () => {
    expect(STAFF_NAMESPACE).toBe('/staff');
    expect(rooms.conversation('c1')).toBe('conversation:c1');
    expect(rooms.campaign('k')).toBe('campaign:k');
  });
});
