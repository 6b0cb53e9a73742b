import { useEffect, useState } from 'react';
import type { AttachmentView } from '@ventanilla/hub/realtime-contract';
import type { HubApi } from '../api/hub-api.js';
import { formatBytes } from '../i18n/format.js';
import { useI18n } from '../i18n/i18n.js';
import { Icon } from './icons.view.js';
import { RecordingPlayer, recordingSidOf } from '../inbox/call/recording-player.js';

/** Files the hub stores need the bearer token; links that carry their own token, or outside URLs, do not. */
function needsToken(url: string): boolean {
  return url.startsWith('/api/') && !/[?&]token=/.test(url);
}

function useObjectUrl(api: HubApi, url: string | undefined, enabled: boolean): string | undefined {
  const [objectUrl, setObjectUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!enabled || !url || !needsToken(url)) return;
    let revoked = false;
    let created: string | undefined;
    api
      .fileBlob(url)
      .then((blob) => {
        if (revoked) return;
        created = URL.createObjectURL(blob);
        setObjectUrl(created);
      })
      .catch(() => undefined);
    return () => {
      revoked = true;
      if (created) URL.revokeObjectURL(created);
    };
  }, [api, url, enabled]);
  if (!url) return undefined;
  return needsToken(url) ? objectUrl : url;
}

async function download(api: HubApi, url: string, filename: string): Promise<void> {
  const blob = await api.fileBlob(url);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** An attachment: image preview when it is an image, always a download with the original name. */
export function Attachment({ api, attachment }: { api: HubApi; attachment: AttachmentView }) {
  const { t } = useI18n();
  const filename = attachment.filename ?? t('thread.attachment');
  const isImage = attachment.mimeType?.startsWith('image/') ?? false;
  const src = useObjectUrl(api, attachment.url, isImage);
  const url = attachment.url;
  // A voicemail's audio is a Twilio recording: played through the hub, which holds the credentials.
  const recordingSid = attachment.mimeType?.startsWith('audio/') ? recordingSidOf(url) : null;
  if (recordingSid) {
    return (
      <figure className="attachment">
        <figcaption className="attachment-row">
          <Icon name="file" />
          <span className="attachment-name">{filename}</span>
        </figcaption>
        <RecordingPlayer api={api} recordingSid={recordingSid} name={filename} filename={filename} />
      </figure>
    );
  }
  return (
    <figure className="attachment">
      {isImage && src && <img src={src} alt={t('thread.imageAlt', { filename })} className="attachment-preview" loading="lazy" />}
      <figcaption className="attachment-row">
        <Icon name="file" />
        <span className="attachment-name">{filename}</span>
        {attachment.size !== undefined && <span className="muted small">{formatBytes(attachment.size)}</span>}
        {url &&
          (needsToken(url) ? (
            <button type="button" className="btn btn-ghost btn-small" aria-label={t('thread.downloadLabel', { filename })} onClick={() => void download(api, url, filename)}>
              <Icon name="download" /> {t('thread.download')}
            </button>
          ) : (
            <a className="btn btn-ghost btn-small" href={url} download={filename} target="_blank" rel="noreferrer noopener" aria-label={t('thread.downloadLabel', { filename })}>
              <Icon name="download" /> {t('thread.download')}
            </a>
          ))}
      </figcaption>
      {attachment.caption && <p className="attachment-caption">{attachment.caption}</p>}
    </figure>
  );
}
