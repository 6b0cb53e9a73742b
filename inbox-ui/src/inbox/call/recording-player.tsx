import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../../api/api-error.js';
import type { HubApi } from '../../api/hub-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { callText, type CallMessageKey } from './call-messages.js';

const SID = /\/Recordings\/(RE[0-9a-f]{32})(?:\.(?:mp3|wav))?$/;

/** The RecordingSid of a Twilio recording URL (a voicemail's audio attachment); null for anything else. */
export function recordingSidOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return SID.exec(new URL(url, 'http://x').pathname)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The hub's route that streams the media from Twilio (hub/src/voice/recordings); bearer token. */
export function recordingPath(recordingSid: string, download = false): string {
  return `/api/v1/voice/recordings/${recordingSid}${download ? '?download=1' : ''}`;
}

function save(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/**
 * A call recording or a voicemail, played through the hub: Twilio serves the media only with the
 * account's credentials, which stay in the hub. Nothing is fetched (or audited as played) until
 * the agent presses «Escuchar»; then an <audio controls> plays it. «Descargar» saves the file.
 */
export function RecordingPlayer({ api, recordingSid, name, filename }: { api: HubApi; recordingSid: string; name: string; filename: string }) {
  const { lang } = useI18n();
  const t = useCallback((key: CallMessageKey, values?: Record<string, string | number>) => callText(lang, key, values), [lang]);
  const [src, setSrc] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => {
    if (src) URL.revokeObjectURL(src);
  }, [src]);

  async function fetchBlob(download: boolean): Promise<Blob | null> {
    setBusy(true);
    setError(null);
    try {
      return await api.fileBlob(recordingPath(recordingSid, download));
    } catch (e) {
      setError(errorText(e, lang, t('audioError')));
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function listen(): Promise<void> {
    const blob = await fetchBlob(false);
    if (blob) setSrc(URL.createObjectURL(blob));
  }

  async function download(): Promise<void> {
    const blob = await fetchBlob(true);
    if (blob) save(blob, filename);
  }

  return (
    <span className="recording-player">
      {src ? (
        // Block and no wider than the side panel: the browser's default 300 px would push the panel sideways.
        <audio controls autoPlay src={src} aria-label={t('audioLabel', { name })} data-recording-sid={recordingSid} style={{ display: 'block', width: '100%', maxWidth: '20rem' }} />
      ) : (
        <button type="button" className="btn btn-ghost btn-small" disabled={busy} aria-label={t('listenLabel', { name })} onClick={() => void listen()}>
          {t('listen')}
        </button>
      )}{' '}
      <button type="button" className="btn btn-ghost btn-small" disabled={busy} aria-label={t('downloadLabel', { name })} onClick={() => void download()}>
        {t('download')}
      </button>
      {busy && (
        <span className="small muted" aria-live="polite">
          {' '}
          {t('loadingAudio')}
        </span>
      )}
      {error && (
        <span role="alert" className="small">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
