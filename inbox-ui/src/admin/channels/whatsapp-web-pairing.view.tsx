import { useEffect, useRef, useState } from 'react';
import type { Lang } from '../../i18n/lang.js';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog } from '../admin-ui.js';
import type { WhatsAppWebPairingStatus } from '../admin-types.js';

/** GET /api/v1/channels/:id/whatsapp-web (hub/src/whatsapp-web/whatsapp-web.routes.ts). */

/** WhatsApp rotates the code about every 20 s: 3 s keeps the one shown scannable. */
const POLL_MS = 3000;

const TEXT: Record<Lang, { title: string; steps: string; qrAlt: string; waitingQr: string; paired: string; error: string; since: string; unlink: string; unlinkTitle: string; unlinkMessage: string; states: Record<WhatsAppWebPairingStatus['state'], string> }> = {
  'es-MX': {
    title: 'Vincular WhatsApp Web',
    steps: 'Abra WhatsApp en el teléfono › Dispositivos vinculados › Vincular un dispositivo, y escanee este código.',
    qrAlt: 'Código QR para vincular el número de WhatsApp de la institución',
    waitingQr: 'Esperando un código nuevo…',
    paired: 'Número vinculado: +{phone}',
    error: 'No se pudo consultar el estado; se reintentará.',
    since: 'desde',
    unlink: 'Desvincular',
    unlinkTitle: 'Desvincular el número',
    unlinkMessage: 'El teléfono dejará de atender este canal hasta que se vincule de nuevo con un código QR nuevo.',
    states: {
      starting: 'Iniciando la sesión…',
      qr: 'Esperando que escanee el código',
      ready: 'Conectado',
      disconnected: 'Desconectado; se reconectará automáticamente',
      auth_failure: 'Falló la autenticación; escanee el código de nuevo',
    },
  },
  en: {
    title: 'Link WhatsApp Web',
    steps: 'Open WhatsApp on the phone › Linked devices › Link a device, and scan this code.',
    qrAlt: 'QR code to link the institution’s WhatsApp number',
    waitingQr: 'Waiting for a new code…',
    paired: 'Linked number: +{phone}',
    error: 'Could not read the state; retrying.',
    since: 'since',
    unlink: 'Unlink',
    unlinkTitle: 'Unlink the number',
    unlinkMessage: 'The phone stops serving this channel until it is linked again with a new QR code.',
    states: {
      starting: 'Starting the session…',
      qr: 'Waiting for the code to be scanned',
      ready: 'Connected',
      disconnected: 'Disconnected; it reconnects by itself',
      auth_failure: 'Authentication failed; scan the code again',
    },
  },
};

/**
 * The pairing panel of a whatsapp_web channel: its session state, and while it is not ready the
 * QR to scan from the institution's phone, polled every 3 s. `load` reads the status route
 * (the channels section passes its AdminApi call); `unlink`, when given, posts
 * …/whatsapp-web/logout and shows the "Desvincular" button once paired.
 */
export function WhatsAppWebPairing({
  channelId,
  load,
  unlink,
}: {
  channelId: string;
  load(channelId: string): Promise<WhatsAppWebPairingStatus>;
  unlink?(channelId: string): Promise<void>;
}) {
  const { lang } = useAdmin();
  const text = TEXT[lang];
  const [status, setStatus] = useState<WhatsAppWebPairingStatus | null>(null);
  const [failed, setFailed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // Bumped after an unlink: polling stops once ready and must start again for the new QR.
  const [round, setRound] = useState(0);
  // The latest loader without restarting the polling when the parent passes a new function.
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      let next: WhatsAppWebPairingStatus | null = null;
      try {
        next = await loader.current(channelId);
        if (!cancelled) {
          setStatus(next);
          setFailed(false);
        }
      } catch {
        if (!cancelled) setFailed(true);
      }
      // Once paired there is nothing to watch; reopening the panel reads it again.
      if (!cancelled && next?.state !== 'ready') timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [channelId, round]);

  const showQr = status !== null && status.state !== 'ready';
  return (
    <section className="admin-card-inner" aria-labelledby={`waweb-pairing-${channelId}`}>
      <p className="admin-label" id={`waweb-pairing-${channelId}`}>
        {text.title}
      </p>
      <p role="status" aria-live="polite">
        {status ? (
          <>
            <strong>{text.states[status.state]}</strong>{' '}
            <span className="admin-hint">
              ({text.since} {new Date(status.since).toLocaleTimeString(lang)})
            </span>
          </>
        ) : (
          text.states.starting
        )}
      </p>
      {status?.state === 'ready' && status.phone && <p>{text.paired.replace('{phone}', status.phone)}</p>}
      {showQr && (
        <>
          <p className="admin-hint">{text.steps}</p>
          {status.qrDataUrl ? <img src={status.qrDataUrl} alt={text.qrAlt} width={264} height={264} /> : status.state === 'qr' && <p className="admin-hint">{text.waitingQr}</p>}
        </>
      )}
      {status?.state === 'ready' && unlink && (
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setConfirming(true)}>
          {text.unlink}
        </button>
      )}
      {confirming && unlink && (
        <ConfirmDialog
          title={text.unlinkTitle}
          message={text.unlinkMessage}
          confirmLabel={text.unlink}
          danger
          onConfirm={async () => {
            await unlink(channelId);
            setRound((n) => n + 1);
          }}
          onClose={() => setConfirming(false)}
        />
      )}
      {failed && (
        <p className="admin-hint" role="alert">
          {text.error}
        </p>
      )}
    </section>
  );
}
