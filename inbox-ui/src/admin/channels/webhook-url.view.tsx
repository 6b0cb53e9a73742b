import { useState } from 'react';
import { useAdmin } from '../admin-context.js';

/**
 * The callback URL to paste into the provider's console (/webhooks/<kind>/<channelId> on this
 * hub), with what else that console asks for.
 */
export function WebhookUrl({ path, hint, verifyTokenHint }: { path: string; hint: string; verifyTokenHint?: string }) {
  const { t } = useAdmin();
  const [copied, setCopied] = useState(false);
  const url = `${window.location.origin}${path}`;
  return (
    <div className="admin-card-inner">
      <p className="admin-label">{t('msgChannel.webhookUrl')}</p>
      <div className="row gap-s">
        <code className="admin-code">{url}</code>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}>
          {copied ? t('channels.copied') : t('channels.copy')}
        </button>
      </div>
      <p className="admin-hint">{hint}</p>
      {verifyTokenHint && <p className="admin-hint">{verifyTokenHint}</p>}
    </div>
  );
}
