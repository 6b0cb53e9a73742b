import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { errorText } from '../../api/api-error.js';
import type { AuthSession } from '../../api/auth-session.js';
import type { Campaign, ConversationListItem, QueueView } from '../../api/api-types.js';
import type { HubApi } from '../../api/hub-api.js';
import { useI18n } from '../../i18n/i18n.js';
import { TransferDialog } from '../../ui/transfer.dialog.js';
import { CallApi, type CallScreenPop } from './call-api.js';
import { callText, type CallMessageKey } from './call-messages.js';
import { RecordingPlayer } from './recording-player.js';

/**
 * The call of a voice conversation (issue 8 item 4): the screen pop — caller, IVR choices,
 * captured data (masked by the hub for agents), who is on the line, recordings — and the
 * controls: hold / resume, transfer, conference, hang up. Plain buttons and a form: keyboard
 * accessible; state changes are announced politely.
 */
export function CallPanel({
  api,
  session,
  me,
  conversation,
  campaigns,
  queues,
  version,
}: {
  api: HubApi;
  session: AuthSession;
  me: string;
  conversation: ConversationListItem;
  campaigns: Campaign[];
  queues: Record<string, QueueView>;
  version: number;
}) {
  const { lang } = useI18n();
  const t = useCallback((key: CallMessageKey, values?: Record<string, string | number>) => callText(lang, key, values), [lang]);
  const id = useId();
  const calls = useMemo(() => new CallApi(session), [session]);
  const [pop, setPop] = useState<CallScreenPop | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [thirdParty, setThirdParty] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    calls.screenPop(conversation.id).then(
      (p) => live && setPop(p),
      (e: unknown) => live && setError(errorText(e, lang, 'Error')),
    );
    // The call moves on its own (the citizen hangs up, a leg joins): a light poll while it is live.
    const timer = window.setInterval(() => setTick((n) => n + 1), 4000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [calls, conversation.id, version, tick, lang]);

  async function act(work: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await work();
      setPop(await calls.screenPop(conversation.id));
    } catch (e) {
      setError(errorText(e, lang, 'Error'));
    } finally {
      setBusy(false);
    }
  }

  async function addThirdParty(event: FormEvent): Promise<void> {
    event.preventDefault();
    await act(() => calls.conference(conversation.id, thirdParty.trim()));
    setThirdParty('');
  }

  if (!pop) return error ? <p role="alert" className="small">{error}</p> : null;
  const state = pop.caller?.state ?? 'ended';
  const live = state === 'talking' || state === 'on_hold';
  return (
    <section aria-labelledby={`${id}-call`} className="panel-body">
      <h3 id={`${id}-call`} className="panel-subtitle">
        {t('title')} · {pop.folio}
      </h3>
      <dl className="kv">
        <div className="kv-row">
          <dt>{t('caller')}</dt>
          <dd>{pop.caller?.number ?? '—'}</dd>
        </div>
        <div className="kv-row">
          <dt>{t('state')}</dt>
          <dd aria-live="polite">{t(`state.${state}`)}</dd>
        </div>
        {pop.ivr.captured.map((f) => (
          <div key={f.field} className="kv-row">
            <dt>{f.field}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      {pop.ivr.steps.length > 0 && (
        <>
          <h4 className="small">{t('ivr')}</h4>
          <ol className="small">
            {pop.ivr.steps.map((step, i) => (
              <li key={`${i}-${step}`}>{step}</li>
            ))}
          </ol>
        </>
      )}
      <div className="row" role="group" aria-label={t('title')}>
        <button type="button" className="btn" disabled={busy || !live} onClick={() => void act(() => calls.control(conversation.id, state === 'on_hold' ? 'unhold' : 'hold'))}>
          {state === 'on_hold' ? t('resume') : t('hold')}
        </button>
        <button type="button" className="btn" disabled={busy || !live} onClick={() => setTransferring(true)}>
          {t('transfer')}
        </button>
        <button type="button" className="btn btn-danger" disabled={busy || !live} onClick={() => void act(() => calls.control(conversation.id, 'hangup'))}>
          {t('hangup')}
        </button>
      </div>
      <form className="row" onSubmit={(e) => void addThirdParty(e)}>
        <label htmlFor={`${id}-to`} className="small">
          {t('conference')}
        </label>
        <input id={`${id}-to`} type="tel" inputMode="tel" placeholder="+525512345678" aria-label={t('conferenceTo')} value={thirdParty} onChange={(e) => setThirdParty(e.target.value)} disabled={!live} />
        <button type="submit" className="btn" disabled={busy || !live || thirdParty.trim() === ''}>
          {t('conferenceAdd')}
        </button>
      </form>
      {error && (
        <p role="alert" className="small">
          {error}
        </p>
      )}
      <h4 className="small">{t('legs')}</h4>
      <ul className="small">
        {pop.legs.map((leg) => (
          <li key={`${leg.callSid ?? leg.to}-${leg.joinedAt ?? ''}`}>
            {leg.role === 'agent' ? (leg.agentName ?? leg.to) : `${t('thirdParty')} ${leg.to}`} — {t(`state.${leg.state}`)}
          </li>
        ))}
      </ul>
      <h4 className="small">{t('recordings')}</h4>
      {pop.recordings.length === 0 ? (
        <p className="small muted">{t('noRecordings')}</p>
      ) : (
        <ul className="small">
          {pop.recordings.map((r) => (
            <li key={r.recordingSid}>
              {r.duration !== null ? t('seconds', { n: r.duration }) : ''}{' '}
              {r.status === 'completed' ? (
                <RecordingPlayer api={api} recordingSid={r.recordingSid} name={`${pop.folio} ${r.startedAt.slice(11, 16)}`} filename={`grabacion-${pop.folio}-${r.recordingSid}.mp3`} />
              ) : (
                <span className="muted">{t('recordingPending')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {transferring && (
        <TransferDialog
          api={api}
          me={me}
          conversation={conversation}
          campaigns={campaigns}
          queues={queues}
          onTransfer={async (target, reason) => {
            // Errors reach the dialog, which shows them and stays open.
            await calls.transfer(conversation.id, target, reason);
            setPop(await calls.screenPop(conversation.id));
          }}
          onClose={() => setTransferring(false)}
        />
      )}
    </section>
  );
}
