/**
 * The URLs Twilio calls for one voice channel. The plugin's routes and the URLs written into
 * TwiML (Gather actions, Redirects, the <Enqueue> waitUrl) come from here so they cannot drift
 * apart: Twilio signs the exact URL it posts to, so a mismatch would fail every signature.
 * The plugin must be registered without a prefix.
 */
export const VOICE_WEBHOOK_ROOT = '/webhooks/voice';

export interface VoiceWebhookUrls {
  incoming: string;
  ivr(node: string): string;
  wait: string;
  waitChoice: string;
  status: string;
  /** Any other route of the channel (route modules): `path('agent/connect')`. */
  path(path: string): string;
}

export function voiceWebhookUrls(publicUrl: string, channelId: string): VoiceWebhookUrls {
  const base = `${publicUrl.replace(/\/+$/, '')}${VOICE_WEBHOOK_ROOT}/${encodeURIComponent(channelId)}`;
  return {
    incoming: `${base}/incoming`,
    ivr: (node) => `${base}/ivr/${encodeURIComponent(node)}`,
    wait: `${base}/wait`,
    waitChoice: `${base}/wait-choice`,
    status: `${base}/status`,
    path: (path) => `${base}/${path.replace(/^\/+/, '')}`,
  };
}
