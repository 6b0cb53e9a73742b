import { useId, useState } from 'react';
import { useAdmin } from '../admin-context.js';
import './channels.css';

/** The tag a site pastes to show the widget (hub/src/webchat/README.md): the hub serves widget.js. */
export function embedSnippet(hubOrigin: string, channelId: string): string {
  return `<script src="${hubOrigin}/widget.js" data-channel="${channelId}" async></script>`;
}

/**
 * For a saved web chat channel: the snippet to copy and a link to the hub's demo page. The demo
 * page is served by the hub, so it can only chat when the hub's own origin is allowed.
 */
export function EmbedSnippet({ channelId, allowedOrigins }: { channelId: string; allowedOrigins: readonly string[] }) {
  const { t } = useAdmin();
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const origin = window.location.origin;
  const snippet = embedSnippet(origin, channelId);
  return (
    <section className="admin-card-inner" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="admin-label">
        {t('webchat.embed')}
      </h4>
      <p className="admin-hint" id={`${id}-hint`}>
        {t('webchat.embedHint')}
      </p>
      <pre className="admin-code channel-snippet" aria-describedby={`${id}-hint`}>
        <code>{snippet}</code>
      </pre>
      <div className="row gap-s admin-wrap">
        <button
          type="button"
          className="btn btn-secondary btn-small"
          onClick={() => {
            // The Clipboard API exists only on secure pages (https or localhost).
            if (!('clipboard' in navigator)) {
              setCopied('no');
              return;
            }
            navigator.clipboard.writeText(snippet).then(
              () => setCopied('yes'),
              () => setCopied('no'),
            );
          }}
        >
          {t('webchat.copySnippet')}
        </button>
        <a className="btn btn-ghost btn-small" href={`/widget-demo.html?channel=${encodeURIComponent(channelId)}`} target="_blank" rel="noopener">
          {t('webchat.tryWidget')}
        </a>
        <span role="status" className="admin-hint">
          {copied === 'yes' ? t('channels.copied') : copied === 'no' ? t('webchat.copyFailed') : ''}
        </span>
      </div>
      {!allowedOrigins.includes(origin) && <p className="admin-hint">{t('webchat.demoOrigin', { origin })}</p>}
    </section>
  );
}
