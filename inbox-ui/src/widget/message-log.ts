import type { WidgetAttachment, WidgetMessage } from '@ventanilla/hub/widget-contract';

export type EntryState = 'sent' | 'pending' | 'failed';

export interface LogEntry {
  /** Stable for the entry's life: an optimistic message keeps its key when the hub confirms it. */
  key: string;
  message: WidgetMessage;
  state: EntryState;
}

export type UpsertResult = 'added' | 'confirmed' | 'unchanged';

/**
 * The visitor's view of the conversation: what GET /session returned, what the socket pushed and
 * what the visitor just sent (optimistic). The socket may repeat a message and the REST refresh
 * after a reconnect repeats all of them, so entries merge by message id, and an optimistic entry
 * merges with its echo by clientMessageId: every message shows once.
 */
export class MessageLog {
  private readonly entries = new Map<string, LogEntry>();
  private readonly keyById = new Map<string, string>();
  private readonly keyByClientId = new Map<string, string>();
  private readonly acked = new Set<string>();

  upsert(message: WidgetMessage): { entry: LogEntry; result: UpsertResult } {
    const known = this.keyById.get(message.id) ?? (message.clientMessageId ? this.keyByClientId.get(message.clientMessageId) : undefined);
    const existing = known === undefined ? undefined : this.entries.get(known);
    if (existing) {
      const wasPending = existing.state !== 'sent';
      existing.message = message;
      existing.state = 'sent';
      this.keyById.set(message.id, existing.key);
      return { entry: existing, result: wasPending ? 'confirmed' : 'unchanged' };
    }
    const entry: LogEntry = { key: message.id, message, state: 'sent' };
    this.entries.set(entry.key, entry);
    this.keyById.set(message.id, entry.key);
    if (message.clientMessageId) this.keyByClientId.set(message.clientMessageId, entry.key);
    return { entry, result: 'added' };
  }

  /** What the visitor sent, shown at once; the hub's echo (same clientMessageId) replaces it. */
  addPending(clientMessageId: string, text: string | null, attachments: WidgetAttachment[] = [], now = new Date()): LogEntry {
    const key = `pending:${clientMessageId}`;
    const entry: LogEntry = {
      key,
      state: 'pending',
      message: { id: key, clientMessageId, sender: 'citizen', senderName: null, text, attachments, createdAt: now.toISOString() },
    };
    this.entries.set(key, entry);
    this.keyByClientId.set(clientMessageId, key);
    return entry;
  }

  setState(clientMessageId: string, state: 'pending' | 'failed'): LogEntry | undefined {
    const key = this.keyByClientId.get(clientMessageId);
    const entry = key === undefined ? undefined : this.entries.get(key);
    if (!entry || entry.state === 'sent') return undefined;
    entry.state = state;
    return entry;
  }

  /** Oldest first; unconfirmed messages after everything the hub has (they are the newest). */
  list(): LogEntry[] {
    return [...this.entries.values()].sort((a, b) => Number(a.state !== 'sent') - Number(b.state !== 'sent') || a.message.createdAt.localeCompare(b.message.createdAt));
  }

  /** Messages from the other side the visitor has now seen and the hub was not yet told about. */
  unacknowledged(): string[] {
    return this.list()
      .filter((e) => e.state === 'sent' && e.message.sender !== 'citizen' && !this.acked.has(e.message.id))
      .map((e) => e.message.id);
  }

  acknowledge(ids: string[]): void {
    for (const id of ids) this.acked.add(id);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.keyById.clear();
    this.keyByClientId.clear();
    this.acked.clear();
  }
}
