import { useId, useState } from 'react';
import { useAdmin } from '../admin-context.js';

/**
 * The two URLs a Twilio number needs (voice-bridge/src/http/voice-webhook-urls.ts): the voice
 * URL `…/incoming` and the status callback `…/status`, under the channel's `webhookPath`
 * (`/webhooks/voice/<channelId>`). Twilio signs the exact URL it posts to, so the origin is the
 * saved `webhookBaseUrl` when there is one (the hub checks signatures against it), else this page's.
 */
export function VoiceWebhookUrls({ webhookPath, webhookBaseUrl }: { webhookPath: string; webhookBaseUrl: string }) {
  const { t } = useAdmin();
  const hintId = useId();
  const [copied, setCopied] = useState<'incoming' | 'status' | null>(null);
  const origin = (webhookBaseUrl.trim() || window.location.origin).replace(/\/+$/, '');
  const rows = [
    { key: 'incoming' as const, label: t('voiceChannel.incomingUrl'), copy: t('voiceChannel.copyIncoming'), url: `${origin}${webhookPath}/incoming` },
    { key: 'status' as const, label: t('voiceChannel.statusUrl'), copy: t('voiceChannel.copyStatus'), url: `${origin}${webhookPath}/status` },
  ];
  return (
    <div role="group" className="admin-card-inner stack" aria-labelledby={`${hintId}-title`} aria-describedby={hintId}>
      <p id={`${hintId}-title`} className="admin-label">
        {t('voiceChannel.urls')}
      </p>
      <p id={hintId} className="admin-hint">
        {t('voiceChannel.urlsHint')}
      </p>
      {rows.map((row) => (
        <div key={row.key} className="channel-row">
          <p className="admin-label">{row.label}</p>
          <div className="row gap-s">
            <code className="admin-code">{row.url}</code>
            <button type="button" className="btn btn-secondary btn-small" aria-label={copied === row.key ? undefined : row.copy} onClick={() => void navigator.clipboard?.writeText(row.url).then(() => setCopied(row.key))}>
              {copied === row.key ? t('channels.copied') : t('channels.copy')}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
