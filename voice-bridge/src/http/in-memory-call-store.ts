import type { CallRecord, CallStore } from './voice-webhooks.js';

/**
 * A Map-backed CallStore for tests and the demo, until the hub's PostgreSQL store exists (hub
 * integration of issue 8). Calls are lost on restart: never use it for real traffic. Records are
 * copied in and out so callers cannot change stored state by mutating what they hold.
 */
export class InMemoryCallStore implements CallStore {
  private readonly calls = new Map<string, CallRecord>();

  async get(callSid: string): Promise<CallRecord | null> {
    const call = this.calls.get(callSid);
    return call ? structuredClone(call) : null;
  }

  async save(call: CallRecord): Promise<void> {
    this.calls.set(call.callSid, structuredClone(call));
  }

  /** Every stored call (tests look at what was kept). */
  all(): CallRecord[] {
    return [...this.calls.values()].map((call) => structuredClone(call));
  }

  get size(): number {
    return this.calls.size;
  }
}
