import { webchatChannelSettingsSchema } from '@ventanilla/connectors';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Every origin some enabled web chat channel allows. Only for the two places that cannot know the
 * channel yet — a CORS preflight of a token route (the browser sends no Authorization on it) and
 * socket.io's HTTP transport — so they can answer before the real check, which is per channel.
 * Refreshed every few seconds, like the channel store.
 */
export class WidgetOriginCache {
  private origins: ReadonlySet<string> = new Set();
  private loadedAt = 0;
  private loading: Promise<ReadonlySet<string>> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 5000,
  ) {}

  async allows(origin: string | undefined): Promise<boolean> {
    if (!origin) return false;
    return (await this.current()).has(origin);
  }

  private async current(): Promise<ReadonlySet<string>> {
    if (Date.now() - this.loadedAt < this.ttlMs) return this.origins;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<ReadonlySet<string>> {
    const rows = await this.db.selectFrom('channels').select('settings').where('kind', '=', 'webchat').where('enabled', '=', true).execute();
    const origins = new Set<string>();
    for (const row of rows) {
      const settings = webchatChannelSettingsSchema.safeParse(row.settings);
      if (settings.success) for (const origin of settings.data.allowedOrigins) origins.add(origin);
    }
    this.origins = origins;
    this.loadedAt = Date.now();
    return origins;
  }
}
