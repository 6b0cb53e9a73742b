import { useId, useState } from 'react';
import type { ConversationListItem } from '../../api/api-types.js';
import { errorText } from '../../api/api-error.js';
import { useI18n } from '../../i18n/i18n.js';
import { TakeoverDialog } from './takeover.dialog.js';
import type { SupervisionHandle } from './use-supervision.js';
import { supervisionText, type SupervisionKey } from './supervision-text.js';
import './supervision.css';

const LIVE = ['assigned', 'waiting_contact'];

/**
 * Above the thread. A supervisor or admin on another agent's live session: the current mode and
 * Monitorear / Susurrar / Intervenir / Tomar control. The agent: a discreet «Supervisado» while a
 * supervisor monitors (when the campaign shows it). Nobody else sees anything.
 */
export function SupervisionBar({ conversation, me, canSupervise, supervision, agentName }: { conversation: ConversationListItem; me: string; canSupervise: boolean; supervision: SupervisionHandle; agentName: string }) {
  const { lang } = useI18n();
  const id = useId();
  const t = (key: SupervisionKey, values?: Record<string, string | number>) => supervisionText(lang, key, values);
  const [form, setForm] = useState<'whisper' | 'barge' | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [takeover, setTakeover] = useState(false);
  const { state, api, refresh } = supervision;
  const live = LIVE.includes(conversation.status) && conversation.assigneeId !== null;

  if (conversation.assigneeId === me) {
    const monitors = state?.conversationId === conversation.id ? state.monitors : [];
    if (monitors.length === 0) return null;
    return (
      <div className="sup-bar" role="status">
        <span className="sup-badge" title={t('supervisedBy', { names: monitors.map((m) => m.supervisorName).join(', ') })}>
          {t('supervised')}
        </span>
      </div>
    );
  }
  if (!canSupervise || !live) return null;

  const mine = state?.conversationId === conversation.id ? state.mine : null;
  const voice = conversation.channelClass === 'voice';
  const modeLine = !mine ? t('notMonitoring', { agent: agentName }) : mine.mode === 'whisper' ? t('modeWhisper', { agent: agentName }) : mine.mode === 'barge' ? t('modeBarge', { agent: agentName }) : t('monitoring', { agent: agentName });
  const run = (work: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    setStatus('');
    work().then(
      () => {
        setBusy(false);
        if (done) setStatus(done);
        refresh();
      },
      (err: unknown) => {
        setBusy(false);
        setStatus(t('failed', { message: errorText(err, lang, '') }));
      },
    );
  };
  const send = () => {
    const body = text.trim();
    if (!form || (!voice && body === '')) return;
    const which = form;
    run(async () => {
      if (which === 'whisper') await api.whisper(conversation.id, body === '' ? undefined : body);
      else await api.barge(conversation.id, voice ? undefined : body);
      setText('');
      setForm(null);
    }, which === 'whisper' ? t('whisperSent', { agent: agentName }) : t('bargeSent'));
  };

  return (
    <div className="sup-bar" role="region" aria-label={t('bar')}>
      <span className="sup-bar-mode" data-mode={mine?.mode ?? 'none'}>
        {modeLine}
      </span>
      {mine ? (
        <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => run(() => api.stop(conversation.id))}>
          {t('stop')}
        </button>
      ) : (
        <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => run(() => api.monitor(conversation.id))}>
          {t('monitor')}
        </button>
      )}
      <button type="button" className="btn btn-secondary btn-small" aria-pressed={form === 'whisper'} disabled={busy} onClick={() => setForm(form === 'whisper' ? null : 'whisper')}>
        {t('whisper')}
      </button>
      <button type="button" className="btn btn-secondary btn-small" aria-pressed={form === 'barge'} disabled={busy} onClick={() => (voice ? run(() => api.barge(conversation.id)) : setForm(form === 'barge' ? null : 'barge'))}>
        {t('barge')}
      </button>
      <button type="button" className="btn btn-danger btn-small" disabled={busy} onClick={() => setTakeover(true)}>
        {t('takeover')}
      </button>
      {form && (
        <form
          className="sup-form"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <label className="field" htmlFor={`${id}-text`}>
            {form === 'whisper' ? t('whisperLabel', { agent: agentName }) : t('bargeLabel')}
            <textarea
              id={`${id}-text`}
              rows={2}
              maxLength={2000}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  send();
                }
              }}
            />
          </label>
          <button type="submit" className="btn btn-primary btn-small" disabled={busy || (!voice && text.trim() === '')}>
            {t('send')}
          </button>
        </form>
      )}
      {voice && <span className="small">{t('voiceNote')}</span>}
      <span className="small" role="status">
        {status}
      </span>
      {takeover && (
        <TakeoverDialog
          folio={conversation.folio}
          agentName={agentName}
          onConfirm={async (reason, detail) => {
            await api.takeover(conversation.id, reason, detail === '' ? undefined : detail);
            refresh();
          }}
          onClose={() => setTakeover(false)}
        />
      )}
    </div>
  );
}
