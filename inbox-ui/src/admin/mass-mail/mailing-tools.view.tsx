import { useId, useState } from 'react';
import { formatDateTime } from '../../i18n/format.js';
import { useAdmin } from '../admin-context.js';
import { Field, FormBanner, SaveBar, useFormSubmit, useMessages } from '../admin-ui.js';
import type { ClientProblems } from '../form-problems.js';
import { useMassMailI18n } from './i18n/mass-mail-i18n.js';
import type { MailingView, MassMailApi } from './mass-mail-api.js';

/** A mailing's recipient upload, its scheduling, and its summary table. */

const COUNTS = ['sent', 'delivered', 'failed', 'bounced', 'suppressed', 'invalid', 'pending'] as const;

export function UploadBox({ api, campaignId, mailing, onUploaded }: { api: MassMailApi; campaignId: string; mailing: MailingView; onUploaded(m: MailingView): void }) {
  const { announce } = useAdmin();
  const { mt } = useMassMailI18n();
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [report, setReport] = useState<string | null>(null);
  const replaceId = useId();
  const submit = useFormSubmit();
  const problems = (): ClientProblems => (file ? {} : { file: { key: 'v.required' } });
  const messages = useMessages(submit.attempted, problems, submit.server);
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          if (!file) return;
          const result = await api.upload(campaignId, mailing.id, file, replace);
          const text = mt('mm.uploaded', { accepted: result.accepted, invalid: result.invalid, duplicate: result.duplicate, suppressed: result.suppressed });
          setReport(result.columns.length > 0 ? `${text} ${mt('mm.columns', { columns: result.columns.map((c) => `{{${c}}}`).join(', ') })}` : text);
          announce(text);
          onUploaded(await api.get(campaignId, mailing.id));
        });
      }}
    >
      <h4 className="admin-subtitle">{mt('mm.recipients')}</h4>
      <FormBanner messages={messages} server={submit.server} claims={['file']} />
      <Field label={mt('mm.file')} hint={mt('mm.fileHint')} messages={messages['file']}>
        {(a) => <input {...a} type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <label htmlFor={replaceId} className="admin-check-top">
        <input id={replaceId} type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> {mt('mm.replace')}
      </label>
      {report && (
        <p className="banner banner-info small" role="status">
          {report}
        </p>
      )}
      <SaveBar busy={submit.busy} label={submit.busy ? mt('mm.uploading') : mt('mm.upload')} />
    </form>
  );
}

export function ScheduleBox({ api, campaignId, mailing, onScheduled }: { api: MassMailApi; campaignId: string; mailing: MailingView; onScheduled(m: MailingView): void }) {
  const { announce } = useAdmin();
  const { mt } = useMassMailI18n();
  const [startAt, setStartAt] = useState('');
  const submit = useFormSubmit();
  const messages = useMessages(submit.attempted, () => ({}), submit.server);
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run({}, async () => {
          // datetime-local is the browser's local time; the hub takes an instant.
          onScheduled(await api.schedule(campaignId, mailing.id, startAt ? { scheduledAt: new Date(startAt).toISOString() } : {}));
          announce(mt('mm.scheduled'));
        });
      }}
    >
      <h4 className="admin-subtitle">{mt('mm.scheduleTitle')}</h4>
      <FormBanner messages={messages} server={submit.server} claims={['scheduledAt']} />
      <Field label={mt('mm.startAt')} hint={mt('mm.startAtHint')} messages={messages['scheduledAt']}>
        {(a) => <input {...a} type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.target.value)} />}
      </Field>
      <SaveBar busy={submit.busy} label={mt('mm.schedule')} />
    </form>
  );
}

export function SummaryView({ mailing }: { mailing: MailingView }) {
  const { lang } = useAdmin();
  const { mt } = useMassMailI18n();
  const s = mailing.summary;
  const when = (iso: string | null) => (iso ? formatDateTime(iso, lang) : '—');
  return (
    <section aria-label={mt('mm.summary')} className="stack">
      <h4 className="admin-subtitle">{mt('mm.summary')}</h4>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{mt('mm.figure')}</th>
            <th scope="col" className="num">
              {mt('mm.count')}
            </th>
            <th scope="col" className="num">
              {mt('mm.percent')}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{mt('mm.total')}</th>
            <td className="num">{s.total.toLocaleString(lang)}</td>
            <td className="num">100</td>
          </tr>
          {COUNTS.map((k) => (
            <tr key={k}>
              <th scope="row">{mt(`mm.${k}`)}</th>
              <td className="num">{s[k].toLocaleString(lang)}</td>
              <td className="num">{s.percent[k].toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small muted">
        {mailing.scheduledAt && !s.startedAt ? `${mt('mm.scheduledAt', { at: when(mailing.scheduledAt) })} · ` : ''}
        {mt('mm.startedAt', { at: when(s.startedAt) })} · {mt('mm.completedAt', { at: when(s.completedAt) })}
        {s.actualRatePerMinute !== null && ` · ${mt('mm.actualRate', { rate: s.actualRatePerMinute.toLocaleString(lang), configured: s.ratePerMinute.toLocaleString(lang) })}`}
      </p>
    </section>
  );
}
