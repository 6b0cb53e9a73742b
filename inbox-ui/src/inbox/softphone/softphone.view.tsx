import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { useI18n } from '../../i18n/i18n.js';
import { softphoneApi } from './softphone-api.js';
import { loadAutoAnswer, saveAutoAnswer } from './softphone-context.js';
import type { SoftphoneDeviceFactory } from './softphone-device.js';
import { softphoneText, type SoftphoneMessageKey } from './softphone-messages.js';
import { softphoneStatusText } from './softphone-status.js';
import { SoftphoneController, type SoftphoneState } from './softphone.controller.js';

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

// The SDK wrapper itself is a separate chunk too: nothing of Twilio is fetched until start().
const loadTwilioDevice: SoftphoneDeviceFactory = async (token) => (await import('./twilio-device.js')).createTwilioDevice(token);

/**
 * The agent's browser softphone in the rail (issue 8 item 4). Renders nothing for agents without
 * a voice channel; a channel without softphone credentials is a quiet note, not a crash. Status
 * changes are announced in a polite live region; every control is a plain button.
 */
export function Softphone({ session, folio }: { session: AuthSession; folio: string | null }) {
  const { lang } = useI18n();
  const id = useId();
  const t = (key: SoftphoneMessageKey) => softphoneText(lang, key);
  const [autoAnswer, setAutoAnswer] = useState(() => loadAutoAnswer(localStore()));
  const autoRef = useRef(autoAnswer);
  const folioRef = useRef(folio);
  useEffect(() => {
    autoRef.current = autoAnswer;
    folioRef.current = folio;
  }, [autoAnswer, folio]);
  const controller = useMemo(
    () =>
      new SoftphoneController({
        api: softphoneApi(session),
        createDevice: loadTwilioDevice,
        autoAnswer: () => autoRef.current,
        folioHint: () => folioRef.current,
        subscribeLogout: (onLogout) => session.subscribe((user) => (user ? undefined : onLogout())),
      }),
    [session],
  );
  const [state, setState] = useState<SoftphoneState>(controller.state);
  useEffect(() => {
    const unsubscribe = controller.subscribe(setState);
    void controller.start();
    return () => {
      unsubscribe();
      controller.dispose();
    };
  }, [controller]);

  const status = softphoneStatusText(lang, state);
  if (state.kind === 'idle') return null;
  const quiet = state.kind === 'not_configured' || state.kind === 'elsewhere';
  return (
    <section className="softphone" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="small">
        {t('title')}
      </h2>
      <p className={`small${quiet ? ' muted' : ''}`} role="status" aria-live="polite" aria-atomic="true" data-softphone-state={state.kind}>
        {status}
        {state.kind === 'on_call' && state.muted ? ` · ${t('muted')}` : ''}
      </p>
      {state.kind === 'incoming' && (
        <div className="row gap-s" role="group" aria-label={t('title')}>
          <button type="button" className="btn btn-primary" onClick={() => controller.answer()}>
            {t('answer')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => controller.reject()}>
            {t('reject')}
          </button>
        </div>
      )}
      {state.kind === 'on_call' && (
        <div className="row gap-s" role="group" aria-label={t('title')}>
          <button type="button" className="btn btn-secondary" aria-pressed={state.muted} onClick={() => controller.toggleMute()}>
            {state.muted ? t('unmute') : t('mute')}
          </button>
          <button type="button" className="btn btn-danger" onClick={() => controller.hangUp()}>
            {t('hangup')}
          </button>
        </div>
      )}
      {state.kind === 'error' && (
        <button type="button" className="btn btn-secondary" onClick={() => void controller.start()}>
          {t('retry')}
        </button>
      )}
      {!quiet && (
        <label className="row gap-s small">
          <input
            type="checkbox"
            checked={autoAnswer}
            onChange={(e) => {
              setAutoAnswer(e.target.checked);
              saveAutoAnswer(localStore(), e.target.checked);
            }}
          />
          {t('autoAnswer')}
        </label>
      )}
    </section>
  );
}
