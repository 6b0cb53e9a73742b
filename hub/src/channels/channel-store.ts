import type { Kysely } from 'kysely';
import { adapterFor, isChannelKind, type ChannelAdapter, type ChannelKind, type ChannelSecrets } from '@ventanilla/connectors/core';
import type { Channel, Database } from '../db/schema.js';

export interface LoadedChannel {
  row: Channel;
  kind: ChannelKind;
  adapter: ChannelAdapter<unknown>;
  settings: unknown;
  secrets: ChannelSecrets;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Channels are read on every webhook and job; a short cache keeps that off PostgreSQL.
 * Five seconds is how long a disabled channel may still accept traffic.
 */
export class ChannelStore {
  private readonly cache = new Map<string, { at: number; value: LoadedChannel | null }>();
  private readonly loading = new Map<string, Promise<LoadedChannel | null>>();
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 5000,
  ) {}

  async get(id: string): Promise<LoadedChannel | null> {
    if (!UUID.test(id)) return null;
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    // One refresh at a time per channel: when the entry expires under load, every request
    // would otherwise query at once (and a cold burst can exhaust the connection pool).
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    if (hit) {
      loading.catch(() => undefined);
      return hit.value;
    }
    return loading;
  }

  private async load(id: string): Promise<LoadedChannel | null> {
    const row = await this.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
    const value = row ? load(row) : null;
    this.cache.set(id, { at: Date.now(), value });
    return value;
  }

  invalidate(id: string): void {
    this.cache.delete(id);
    this.loading.delete(id);
  }
}

function load(row: Channel): LoadedChannel | null {
  if (!isChannelKind(row.kind)) return null;
  const adapter = adapterFor(row.kind);
  const settings = adapter.settingsSchema.parse(row.settings);
  const secrets: ChannelSecrets = {};
  for (const [key, value] of Object.entries(row.secrets)) if (typeof value === 'string') secrets[key] = value;
  return { row, kind: row.kind, adapter, settings, secrets };
}
