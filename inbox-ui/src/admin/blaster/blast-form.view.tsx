import { useState, type FormEvent } from 'react';
import { serverFeedback } from '../form-problems.js';
import { useAdmin } from '../admin-context.js';
import { EditorTitle, Field, SaveBar } from '../admin-ui.js';
import { blastFormProblems, emptyBlastForm, KEYS, toCreateInput, type BlastAction, type BlastFormField, type BlastFormState } from './blast-form.js';
import type { BlasterApi, BlastView, UploadReport } from './blaster-api.js';
import { useBlasterI18n } from './i18n/blaster-i18n.js';

const ACTIONS: readonly BlastAction[] = ['agent', 'confirm', 'decline', 'repeat', 'optout'];
export interface Option {
  id: string;
  name: string;
}

/**
 * A new voice campaign: message (text or recorded audio), keypad options, queue, schedule and
 * calling hours, pace and simultaneous calls, retries, voicemail policy and the list file.
 * Created as a draft; the list's bad lines come back with their line numbers.
 */
export function BlastForm({ api, campaignId, channels, queues, onCreated }: { api: BlasterApi; campaignId: string; channels: Option[]; queues: Option[]; onCreated(blast: BlastView, upload: UploadReport | null): void }) {
  const { announce, lang, t } = useAdmin();
  const { bt } = useBlasterI18n();
  const [s, setS] = useState<BlastFormState>(() => emptyBlastForm(channels[0]?.id ?? ''));
  // The file is read when the form is sent (reading it on change could lose a quick submit).
  const [file, setFile] = useState<File | null>(null);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const problems = attempted ? blastFormProblems(s) : [];
  const bad = (field: BlastFormField) => (problems.includes(field) ? [bt('vb.f.check')] : undefined);
  const set = <K extends keyof BlastFormState>(key: K, value: BlastFormState[K]) => setS((prev) => ({ ...prev, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    const list = file ? await file.text() : '';
    // The channels may arrive after the form opened: the first one is the default until one is chosen.
    const state = { ...s, channelId: s.channelId || (channels[0]?.id ?? ''), list };
    setS(state);
    if (blastFormProblems(state).length > 0) return;
    setBusy(true);
    setServerError(null);
    try {
      const { blast, upload } = await api.create(toCreateInput(state, campaignId));
      announce(bt('vb.created', { added: upload?.added ?? 0, invalid: upload?.invalid ?? 0, duplicates: upload?.duplicates ?? 0, dnc: upload?.doNotCall ?? 0 }), upload && upload.invalid > 0 ? 'warn' : 'ok');
      onCreated(blast, upload);
    } catch (error) {
      setServerError(serverFeedback(error, lang, t('admin.networkError')).general);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
      <EditorTitle text={bt('vb.new')} />
      {serverError && (
        <div className="banner banner-error small form-banner" role="alert">
          {serverError}
        </div>
      )}
      <Field label={bt('vb.f.name')} messages={bad('name')}>
        {(a) => <input {...a} value={s.name} maxLength={200} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field label={bt('vb.f.channel')} messages={bad('channelId')} hint={channels.length === 0 ? bt('vb.f.noChannel') : undefined}>
        {(a) => (
          <select {...a} value={s.channelId || (channels[0]?.id ?? '')} onChange={(e) => set('channelId', e.target.value)}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={bt('vb.f.message')} hint={bt('vb.f.messageHint')} messages={bad('messageText')}>
        {(a) => <textarea {...a} rows={4} maxLength={2000} value={s.messageText} onChange={(e) => set('messageText', e.target.value)} />}
      </Field>
      <Field label={bt('vb.f.audio')}>{(a) => <input {...a} type="url" value={s.audioUrl} onChange={(e) => set('audioUrl', e.target.value)} />}</Field>
      <fieldset className="admin-fieldset">
        <legend>{bt('vb.f.options')}</legend>
        {bad('options') && <p className="admin-error">{bt('vb.f.check')}</p>}
        <div className="admin-wrap">
          {KEYS.map((key) => (
            <Field key={key} label={bt('vb.f.key', { key })}>
              {(a) => (
                <select
                  {...a}
                  value={s.options[key] ?? ''}
                  onChange={(e) => {
                    const value = ACTIONS.find((x) => x === e.target.value);
                    setS((prev) => {
                      const options = { ...prev.options };
                      if (value) options[key] = value;
                      else delete options[key];
                      return { ...prev, options };
                    });
                  }}
                >
                  <option value="">{bt('vb.a.none')}</option>
                  {ACTIONS.map((x) => (
                    <option key={x} value={x}>
                      {bt(`vb.a.${x}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <Field label={bt('vb.f.queue')}>
        {(a) => (
          <select {...a} value={s.queueId} onChange={(e) => set('queueId', e.target.value)}>
            <option value="">{bt('vb.f.defaultQueue')}</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={bt('vb.f.startAt')}>{(a) => <input {...a} type="datetime-local" value={s.startAt} onChange={(e) => set('startAt', e.target.value)} />}</Field>
      <fieldset className="admin-fieldset">
        <legend>{bt('vb.f.window')}</legend>
        <label className="admin-check">
          <input type="checkbox" checked={s.anyTime} onChange={(e) => set('anyTime', e.target.checked)} /> {bt('vb.f.windowAny')}
        </label>
        {!s.anyTime && (
          <div className="admin-wrap">
            <Field label={bt('vb.f.from')} messages={bad('window')}>
              {(a) => <input {...a} type="time" value={s.windowStart} onChange={(e) => set('windowStart', e.target.value)} />}
            </Field>
            <Field label={bt('vb.f.to')}>{(a) => <input {...a} type="time" value={s.windowEnd} onChange={(e) => set('windowEnd', e.target.value)} />}</Field>
          </div>
        )}
      </fieldset>
      <div className="admin-wrap">
        <Field label={bt('vb.f.rate')} messages={bad('callsPerMinute')}>
          {(a) => <input {...a} type="number" min={1} max={600} value={s.callsPerMinute} onChange={(e) => set('callsPerMinute', e.target.value)} />}
        </Field>
        <Field label={bt('vb.f.concurrent')} messages={bad('maxConcurrent')}>
          {(a) => <input {...a} type="number" min={1} max={500} value={s.maxConcurrent} onChange={(e) => set('maxConcurrent', e.target.value)} />}
        </Field>
        <Field label={bt('vb.f.attempts')} messages={bad('maxAttempts')}>
          {(a) => <input {...a} type="number" min={1} max={5} value={s.maxAttempts} onChange={(e) => set('maxAttempts', e.target.value)} />}
        </Field>
        <Field label={bt('vb.f.retry')} messages={bad('retryMinutes')}>
          {(a) => <input {...a} type="number" min={0} max={1440} value={s.retryMinutes} onChange={(e) => set('retryMinutes', e.target.value)} />}
        </Field>
      </div>
      <Field label={bt('vb.f.machine')}>
        {(a) => (
          <select {...a} value={s.machinePolicy} onChange={(e) => set('machinePolicy', e.target.value === 'hang_up' ? 'hang_up' : 'leave_message')}>
            <option value="leave_message">{bt('vb.f.machineLeave')}</option>
            <option value="hang_up">{bt('vb.f.machineHang')}</option>
          </select>
        )}
      </Field>
      <Field label={bt('vb.f.list')} messages={bad('list')}>
        {(a) => <input {...a} type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <SaveBar busy={busy} label={bt('vb.f.create')} />
    </form>
  );
}
