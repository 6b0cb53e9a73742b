import twilio from 'twilio';
import { HubError } from '../../errors/error-registry.js';
import type { AgentVoiceChannel } from './agent-channel.js';
import { clientIdentityOf } from './agent-endpoint.js';

export const SOFTPHONE_TOKEN_TTL_SECONDS = 3600;

export interface SoftphoneToken {
  token: string;
  identity: string;
  channelId: string;
  expiresAt: string;
}

/**
 * A Twilio Access Token with a Voice grant for the browser softphone (Twilio Voice JS SDK):
 * identity `agent-<userId>` (what the connector dials as `client:agent-<userId>`), incoming
 * calls allowed, outgoing calls through the channel's TwiML App. Signed with the channel's API
 * key (SK… + secret), never the account's auth token.
 */
export function softphoneToken(channel: AgentVoiceChannel, userId: string, now: Date = new Date()): SoftphoneToken {
  const missing = [
    channel.settings.apiKeySid ? null : 'apiKeySid',
    channel.apiKeySecret ? null : 'apiKeySecret',
    channel.settings.twimlAppSid ? null : 'twimlAppSid',
  ].filter((m): m is string => m !== null);
  const apiKeySid = channel.settings.apiKeySid;
  const apiKeySecret = channel.apiKeySecret;
  const twimlAppSid = channel.settings.twimlAppSid;
  if (missing.length > 0 || !apiKeySid || !apiKeySecret || !twimlAppSid) {
    throw new HubError(
      'HUB_ERR_CONFLICT',
      `El canal de voz no tiene configurado el teléfono web (falta ${missing.join(', ')}); pida al administrador la clave API y la TwiML App de Twilio / the voice channel is not set up for the softphone (missing ${missing.join(', ')})`,
      { missing },
    );
  }
  const identity = clientIdentityOf(userId);
  const nbf = Math.floor(now.getTime() / 1000);
  const accessToken = new twilio.jwt.AccessToken(channel.settings.accountSid, apiKeySid, apiKeySecret, { identity, ttl: SOFTPHONE_TOKEN_TTL_SECONDS, nbf });
  accessToken.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: twimlAppSid }));
  return { token: accessToken.toJwt(), identity, channelId: channel.id, expiresAt: new Date((nbf + SOFTPHONE_TOKEN_TTL_SECONDS) * 1000).toISOString() };
}
