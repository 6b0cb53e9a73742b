import { createTwilioVoiceRest, voiceChannelSettingsSchema, type VoiceChannelSettings, type VoiceRest } from '@ventanilla/connectors';
import { createIvrInterpreter, validateIvrTree, voiceWebhookUrls, type IvrTree, type VoiceChannel, type VoiceWebhookUrls } from '@ventanilla/voice-bridge';
import type { LoadedChannel } from '../../channels/channel-store.js';
import type { Config } from '../../config/config.js';
import type { CampaignRouting } from '../../router/config/campaign-routing.schema.js';
import { loadCampaignRouting } from '../../router/store/routing-settings.js';
import type { HubContext } from '../../runtime/context.js';
import { DEFAULT_IVR_TREE } from './default-ivr.js';

/** A voice channel as the hub knows it: the plugin's VoiceChannel plus its settings and row. */
export interface HubVoiceChannel extends VoiceChannel {
  publicUrl: string;
  settings: VoiceChannelSettings;
  loaded: LoadedChannel;
  /** The production IVR version answering calls, or null for the default tree. */
  ivrModelId: string | null;
  /** The campaign's business hours and holidays (the IVR's hours node), its folio prefix and zone. */
  routing: CampaignRouting;
  campaign: { name: string; folioPrefix: string; timeZone: string };
}

/** The channel's settings when it is an enabled voice channel, else null. */
export function voiceSettingsOf(loaded: LoadedChannel): VoiceChannelSettings | null {
  if (loaded.kind !== 'voice' || !loaded.row.enabled) return null;
  const parsed = voiceChannelSettingsSchema.safeParse(loaded.settings);
  return parsed.success ? parsed.data : null;
}

/** The base URL Twilio is given for this channel: its webhookBaseUrl, else PUBLIC_URL, else http://HOST:PORT. */
export function voicePublicUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>, settings: Pick<VoiceChannelSettings, 'webhookBaseUrl'> | null): string {
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return (settings?.webhookBaseUrl ?? config.PUBLIC_URL ?? `http://${host}:${config.PORT}`).replace(/\/+$/, '');
}

/** Every Twilio URL of a voice channel (route modules build theirs with `.path(…)`). */
export function voiceUrlsFor(ctx: Pick<HubContext, 'config'>, loaded: LoadedChannel): VoiceWebhookUrls {
  return voiceWebhookUrls(voicePublicUrl(ctx.config, voiceSettingsOf(loaded)), loaded.row.id);
}

/** The Twilio REST port for a voice channel (its account, auth token secret and apiBaseUrl). */
export function voiceRestFor(loaded: LoadedChannel): VoiceRest {
  const settings = voiceSettingsOf(loaded);
  const authToken = loaded.secrets['authToken'];
  if (!settings || !authToken) throw new Error(`channel ${loaded.row.id} is not an enabled voice channel with an authToken`);
  return createTwilioVoiceRest({ accountSid: settings.accountSid, authToken, ...(settings.apiBaseUrl ? { apiBaseUrl: settings.apiBaseUrl } : {}) });
}

const CACHE_MS = 5_000;

/**
 * The plugin's `channel` port: a voice channel with its auth token and the interpreter of its
 * campaign's production IVR (the default tree when there is none), cached for 5 s. Promoting an
 * IVR version invalidates this process's cache at once (`invalidateCampaign`); other processes
 * follow within the 5 s.
 */
export class VoiceChannels {
  private readonly cache = new Map<string, { at: number; value: HubVoiceChannel | null }>();

  constructor(private readonly ctx: Pick<HubContext, 'config' | 'channels' | 'db' | 'logger'>) {}

  async get(channelId: string): Promise<HubVoiceChannel | null> {
    const hit = this.cache.get(channelId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await this.load(channelId);
    this.cache.set(channelId, { at: Date.now(), value });
    return value;
  }

  invalidateCampaign(campaignId: string): void {
    for (const [id, entry] of this.cache) if (entry.value === null || entry.value.campaignId === campaignId) this.cache.delete(id);
  }

  private async load(channelId: string): Promise<HubVoiceChannel | null> {
    const loaded = await this.ctx.channels.get(channelId);
    if (!loaded) return null;
    const settings = voiceSettingsOf(loaded);
    const authToken = loaded.secrets['authToken'];
    if (!settings || !authToken) return null;
    const production = await this.ctx.db.kysely
      .selectFrom('ivr_models')
      .select(['id', 'tree'])
      .where('campaign_id', '=', loaded.row.campaign_id)
      .where('status', '=', 'production')
      .executeTakeFirst();
    let tree: IvrTree | null = null;
    if (production) {
      const checked = validateIvrTree(production.tree);
      if (checked.ok) tree = checked.tree;
      else this.ctx.logger.warn({ channelId, ivrModelId: production.id, problems: checked.problems.slice(0, 5) }, 'voice: production IVR does not validate; answering with the default tree');
    }
    const campaignId = loaded.row.campaign_id;
    const campaign = await this.ctx.db.kysely.selectFrom('campaigns').select(['name', 'folio_prefix', 'time_zone']).where('id', '=', campaignId).executeTakeFirstOrThrow();
    const routing = (await loadCampaignRouting(this.ctx.db.kysely, [campaignId])).get(campaignId);
    if (!routing) throw new Error(`campaign ${campaignId} has no routing settings`);
    const fallback = validateIvrTree(DEFAULT_IVR_TREE);
    if (!fallback.ok) throw new Error('the default IVR tree does not validate');
    return {
      id: loaded.row.id,
      campaignId: loaded.row.campaign_id,
      accountSid: settings.accountSid,
      authToken,
      interpreter: createIvrInterpreter(tree ?? fallback.tree),
      publicUrl: voicePublicUrl(this.ctx.config, settings),
      settings,
      loaded,
      ivrModelId: tree && production ? production.id : null,
      routing,
      campaign: { name: campaign.name, folioPrefix: campaign.folio_prefix, timeZone: campaign.time_zone },
    };
  }
}

const perContext = new WeakMap<object, VoiceChannels>();

/** One VoiceChannels per hub context, shared by the mount and the IVR models API (invalidation on promote). */
export function voiceChannelsOf(ctx: Pick<HubContext, 'config' | 'channels' | 'db' | 'logger'>): VoiceChannels {
  let channels = perContext.get(ctx);
  if (!channels) {
    channels = new VoiceChannels(ctx);
    perContext.set(ctx, channels);
  }
  return channels;
}
