import { createTwilioVoiceRest, voiceChannelSettingsSchema, type VoiceChannelSettings, type VoiceRest } from '@ventanilla/connectors';
import { voiceWebhookUrls, type VoiceWebhookUrls } from '@ventanilla/voice-bridge';
import type { ChannelStore } from '../../channels/channel-store.js';
import type { Config } from '../../config/config.js';
import { voicePublicUrl } from '../core/voice-channels.js';

/** A voice channel as the agent leg uses it: settings, secrets, the REST port and its webhook URLs. */
export interface AgentVoiceChannel {
  id: string;
  campaignId: string;
  enabled: boolean;
  settings: VoiceChannelSettings;
  authToken: string;
  apiKeySecret: string | null;
  rest: VoiceRest;
  urls: VoiceWebhookUrls;
}

export type VoiceRestFactory = (settings: { accountSid: string; authToken: string; apiBaseUrl?: string }) => VoiceRest;

/**
 * Loads voice channels for the connector, the call controls and the token endpoint. The base URL
 * is the one the webhook plugin verifies signatures against (core's `voicePublicUrl`): Twilio
 * signs the exact URL we give it. Disabled channels load too: a call in progress finishes.
 */
export class AgentVoiceChannels {
  private readonly rests = new Map<string, { key: string; rest: VoiceRest }>();

  constructor(
    private readonly channels: Pick<ChannelStore, 'get'>,
    private readonly config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>,
    private readonly restFactory: VoiceRestFactory = createTwilioVoiceRest,
  ) {}

  async get(channelId: string): Promise<AgentVoiceChannel | null> {
    const loaded = await this.channels.get(channelId);
    if (!loaded || loaded.kind !== 'voice') return null;
    const parsed = voiceChannelSettingsSchema.safeParse(loaded.settings);
    const authToken = loaded.secrets['authToken'];
    if (!parsed.success || !authToken) return null;
    const settings = parsed.data;
    const publicUrl = voicePublicUrl(this.config, settings);
    return {
      id: loaded.row.id,
      campaignId: loaded.row.campaign_id,
      enabled: loaded.row.enabled,
      settings,
      authToken,
      apiKeySecret: loaded.secrets['apiKeySecret'] ?? null,
      rest: this.restFor(settings, authToken),
      urls: voiceWebhookUrls(publicUrl, loaded.row.id),
    };
  }

  /** One SDK client per account, base URL and token (rebuilt when the channel's credentials change). */
  private restFor(settings: VoiceChannelSettings, authToken: string): VoiceRest {
    const key = `${settings.accountSid}|${authToken}|${settings.apiBaseUrl ?? ''}`;
    const hit = this.rests.get(key);
    if (hit) return hit.rest;
    const rest = this.restFactory({ accountSid: settings.accountSid, authToken, ...(settings.apiBaseUrl ? { apiBaseUrl: settings.apiBaseUrl } : {}) });
    this.rests.set(key, { key, rest });
    return rest;
  }
}
