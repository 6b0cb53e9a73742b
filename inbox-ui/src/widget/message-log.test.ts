import type { WidgetMessage } from '@ventanilla/hub/widget-contract';
import { describe, expect, it } from 'vitest';
import { MessageLog } from './message-log.js';

const message = (over: Partial<WidgetMessage> & { id: string }): WidgetMessage => ({
  clientMessageId: null,
  sender: 'agent',
  senderName: 'Ana Martínez',
  text: 'Hola',
  attachments: [],
  createdAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

describe('the widget message log', () => {
  it('shows a message once however often the socket and the REST refresh repeat it', () => {
    const log = new MessageLog();
    expect(log.upsert(message({ id: 'm1' })).result).toBe('added');
    expect(log.upsert(message({ id: 'm1' })).result).toBe('unchanged');
    expect(log.size).toBe(1);
  });

  it('replaces an optimistic message with its echo, keeping its place (key)', () => {
    const log = new MessageLog();
    const pending = log.addPending('c-1', 'Buenas tardes', [], new Date('2026-11-26T10:01:00Z'));
    const { entry, result } = log.upsert(message({ id: 'm9', clientMessageId: 'c-1', sender: 'citizen', senderName: null, text: 'Buenas tardes', createdAt: '2026-11-26T10:01:01Z' }));
    expect(result).toBe('confirmed');
    expect(entry.key).toBe(pending.key);
    expect(entry.state).toBe('sent');
    expect(log.size).toBe(1);
    // A later REST refresh carries the same message: still one.
    expect(log.upsert(message({ id: 'm9', clientMessageId: 'c-1', sender: 'citizen' })).result).toBe('unchanged');
    expect(log.size).toBe(1);
  });

  it('orders by time, unconfirmed last, and marks a failed send', () => {
    const log = new MessageLog();
    log.addPending('c-2', 'pendiente', [], new Date('2026-11-26T09:00:00Z'));
    log.upsert(message({ id: 'b', createdAt: '2026-11-26T10:05:00Z' }));
    log.upsert(message({ id: 'a', createdAt: '2026-11-26T10:00:00Z' }));
    expect(log.list().map((e) => e.key)).toEqual(['a', 'b', 'pending:c-2']);
    expect(log.setState('c-2', 'failed')?.state).toBe('failed');
  });

  it('acknowledges only the other side’s messages, each once', () => {
    const log = new MessageLog();
    log.upsert(message({ id: 'from-agent' }));
    log.upsert(message({ id: 'mine', sender: 'citizen', clientMessageId: 'c-3' }));
    log.upsert(message({ id: 'system', sender: 'system', senderName: null }));
    expect(log.unacknowledged().sort()).toEqual(['from-agent', 'system']);
    log.acknowledge(['from-agent', 'system']);
    expect(log.unacknowledged()).toEqual([]);
  });
});
