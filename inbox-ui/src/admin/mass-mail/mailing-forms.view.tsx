import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { EditorTitle, Field, FormBanner, SaveBar, useFormSubmit, useMessages } from '../admin-ui.js';
import type { ClientProblems } from '../form-problems.js';
import { useMassMailI18n } from './i18n/mass-mail-i18n.js';
import type { MailingInput, MailingView, MassMailApi } from './mass-mail-api.js';

/** The template of a draft (create or save), and the pace of one already scheduled. */

export interface ChannelOption {
  id: string;
  name: string;
}

function validate(form: { name: string; channelId: string; subject: string; bodyText: string; rate: string }): ClientProblems {
  const problems: ClientProblems = {};
  for (const key of ['name', 'channelId', 'subject', 'bodyText'] as const) if (form[key].trim() === '') problems[key] = { key: 'v.required' };
  const rate = Number(form.rate);
  if (!Number.isInteger(rate) || rate < 1 || rate > 100_000) problems['ratePerMinute'] = { key: 'v.range', values: { min: 1, max: 100_000 } };
  return problems;
}

export function MailingForm({ api, campaignId, mailing, channels, onSaved }: { api: MassMailApi; campaignId: string; mailing: MailingView | null; channels: ChannelOption[]; onSaved(m: MailingView): void }) {
  const { t, announce } = useAdmin();
  const { mt } = useMassMailI18n();
  const [form, setForm] = useState({
    name: mailing?.name ?? '',
    channelId: mailing?.channelId ?? channels[0]?.id ?? '',
    subject: mailing?.subject ?? '',
    bodyText: mailing?.bodyText ?? '',
    bodyHtml: mailing?.bodyHtml ?? '',
    qrText: mailing?.qrText ?? '',
    rate: String(mailing?.ratePerMinute ?? 125),
  });
  const submit = useFormSubmit();
  const messages = useMessages(submit.attempted, () => validate(form), submit.server);
  const channelId = form.channelId || channels[0]?.id || '';
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const input: MailingInput = {
          name: form.name.trim(),
          channelId,
          subject: form.subject.trim(),
          bodyText: form.bodyText,
          bodyHtml: form.bodyHtml.trim() === '' ? null : form.bodyHtml,
          qrText: form.qrText.trim() === '' ? null : form.qrText.trim(),
          ratePerMinute: Number(form.rate),
        };
        void submit.run(validate({ ...form, channelId }), async () => {
          const saved = mailing ? await api.update(campaignId, mailing.id, input) : await api.create(campaignId, input);
          onSaved(saved);
          announce(mailing ? t('admin.saved') : t('admin.created', { name: saved.name }));
        });
      }}
    >
      {!mailing && <EditorTitle text={mt('mm.new')} />}
      <FormBanner messages={messages} server={submit.server} claims={['name', 'channelId', 'subject', 'bodyText', 'bodyHtml', 'qrText', 'ratePerMinute']} />
      {channels.length === 0 && <p className="banner banner-info small">{mt('mm.noChannel')}</p>}
      <div className="admin-grid-2">
        <Field label={mt('mm.name')} messages={messages['name']}>
          {(a) => <input {...a} type="text" value={form.name} maxLength={200} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
        </Field>
        <Field label={mt('mm.channel')} messages={messages['channelId']}>
          {(a) => (
            <select {...a} value={channelId} onChange={(e) => setForm({ ...form, channelId: e.target.value })}>
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label={mt('mm.subject')} messages={messages['subject']}>
        {(a) => <input {...a} type="text" value={form.subject} maxLength={300} onChange={(e) => setForm({ ...form, subject: e.target.value })} />}
      </Field>
      <Field label={mt('mm.bodyText')} hint={mt('mm.bodyTextHint')} messages={messages['bodyText']}>
        {(a) => <textarea {...a} rows={6} lang="es-MX" value={form.bodyText} onChange={(e) => setForm({ ...form, bodyText: e.target.value })} />}
      </Field>
      <Field label={mt('mm.bodyHtml')} hint={mt('mm.bodyHtmlHint')} messages={messages['bodyHtml']}>
        {(a) => <textarea {...a} rows={5} className="mono" value={form.bodyHtml} onChange={(e) => setForm({ ...form, bodyHtml: e.target.value })} />}
      </Field>
      <div className="admin-grid-2">
        <Field label={mt('mm.qrText')} hint={mt('mm.qrHint')} messages={messages['qrText']}>
          {(a) => <input {...a} type="text" value={form.qrText} maxLength={1000} onChange={(e) => setForm({ ...form, qrText: e.target.value })} />}
        </Field>
        <Field label={mt('mm.rate')} hint={mt('mm.rateHint')} messages={messages['ratePerMinute']}>
          {(a) => <input {...a} type="number" min={1} max={100000} value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} />}
        </Field>
      </div>
      <SaveBar busy={submit.busy} label={mailing ? mt('mm.saveDraft') : mt('mm.create')} />
    </form>
  );
}

export function RateForm({ api, campaignId, mailing, onSaved }: { api: MassMailApi; campaignId: string; mailing: MailingView; onSaved(m: MailingView): void }) {
  const { t, announce } = useAdmin();
  const { mt } = useMassMailI18n();
  const [rate, setRate] = useState(String(mailing.ratePerMinute));
  const submit = useFormSubmit();
  const problems = (): ClientProblems => {
    const n = Number(rate);
    return Number.isInteger(n) && n >= 1 && n <= 100_000 ? {} : { ratePerMinute: { key: 'v.range', values: { min: 1, max: 100_000 } } };
  };
  const messages = useMessages(submit.attempted, problems, submit.server);
  return (
    <form
      ref={submit.formRef}
      className="admin-form stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit.run(problems(), async () => {
          onSaved(await api.update(campaignId, mailing.id, { ratePerMinute: Number(rate) }));
          announce(t('admin.saved'));
        });
      }}
    >
      <p className="small muted">{mt('mm.frozen')}</p>
      <FormBanner messages={messages} server={submit.server} claims={['ratePerMinute']} />
      <Field label={mt('mm.rate')} hint={mt('mm.rateHint')} messages={messages['ratePerMinute']}>
        {(a) => <input {...a} type="number" min={1} max={100000} value={rate} onChange={(e) => setRate(e.target.value)} />}
      </Field>
      <SaveBar busy={submit.busy} label={mt('mm.saveRate')} />
    </form>
  );
}
