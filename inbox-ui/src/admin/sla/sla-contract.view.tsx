import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { Field, FormBanner, LoadState, useFormSubmit, useResource } from '../admin-ui.js';
import { formatMoney, localInputToIso, parseMoney } from './sla-form.js';
import type { SlaApi, SlaContract } from './sla-api.js';
import { useSlaI18n } from './i18n/sla-i18n.js';

/** Contract data and the month's invoice (what the evaluation needs besides the measurements). */
export function SlaContractView({ api, campaignId, month, editable }: { api: SlaApi; campaignId: string; month: string; editable: boolean }) {
  const { st } = useSlaI18n();
  const loaded = useResource(`${campaignId}:sla-contract`, () => api.contract(campaignId));
  if (!loaded.data) return <LoadState loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} />;
  return (
    <>
      <ContractForm api={api} campaignId={campaignId} initial={loaded.data.contract ?? loaded.data.defaults} editable={editable} />
      <InvoiceForm key={month} api={api} campaignId={campaignId} month={month} editable={editable} />
      <p className="muted small">{st('sla.table.hint')}</p>
    </>
  );
}

function ContractForm({ api, campaignId, initial, editable }: { api: SlaApi; campaignId: string; initial: SlaContract; editable: boolean }) {
  const { announce } = useAdmin();
  const { st } = useSlaI18n();
  const [c, setC] = useState<SlaContract>(initial);
  const [max, setMax] = useState(formatMoney(initial.maxContractAmountWithoutIvaCents));
  const form = useFormSubmit();
  const errors = form.server?.errors ?? {};
  const int = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  return (
    <form
      ref={form.formRef}
      className="admin-card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.run({}, async () => {
          await api.saveContract(campaignId, { ...c, maxContractAmountWithoutIvaCents: parseMoney(max) ?? Number.NaN });
          announce(st('sla.contract.saved'));
        });
      }}
    >
      <FormBanner messages={errors} server={form.server} claims={Object.keys(c)} />
      <fieldset disabled={!editable || form.busy} className="sla-row-grid">
        <Field label={st('sla.contract.start')} messages={errors['contractStartMonth']}>
          {(a) => <input {...a} type="month" value={c.contractStartMonth} onChange={(e) => setC({ ...c, contractStartMonth: e.target.value })} />}
        </Field>
        <Field label={st('sla.contract.max')} messages={errors['maxContractAmountWithoutIvaCents']}>
          {(a) => <input {...a} inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} />}
        </Field>
        <Field label={st('sla.contract.slSeconds')} messages={errors['serviceLevelThresholdSeconds']}>
          {(a) => <input {...a} inputMode="numeric" value={String(c.serviceLevelThresholdSeconds)} onChange={(e) => setC({ ...c, serviceLevelThresholdSeconds: int(e.target.value) })} />}
        </Field>
        <Field label={st('sla.contract.slDenominator')} messages={errors['serviceLevelDenominator']}>
          {(a) => (
            <select {...a} value={c.serviceLevelDenominator} onChange={(e) => setC({ ...c, serviceLevelDenominator: e.target.value === 'received' ? 'received' : 'attended' })}>
              <option value="attended">{st('sla.contract.attended')}</option>
              <option value="received">{st('sla.contract.received')}</option>
            </select>
          )}
        </Field>
        <Field label={st('sla.contract.shortAbandon')} messages={errors['shortAbandonThresholdSeconds']}>
          {(a) => <input {...a} inputMode="numeric" value={String(c.shortAbandonThresholdSeconds)} onChange={(e) => setC({ ...c, shortAbandonThresholdSeconds: int(e.target.value) })} />}
        </Field>
        <Field label={st('sla.contract.aht')} messages={errors['ahtDefinition']}>
          {(a) => (
            <select {...a} value={c.ahtDefinition} onChange={(e) => setC({ ...c, ahtDefinition: e.target.value === 'talk_hold' ? 'talk_hold' : e.target.value === 'talk_hold_acw' ? 'talk_hold_acw' : 'talk' })}>
              <option value="talk">{st('sla.contract.talk')}</option>
              <option value="talk_hold">{st('sla.contract.talk_hold')}</option>
              <option value="talk_hold_acw">{st('sla.contract.talk_hold_acw')}</option>
            </select>
          )}
        </Field>
        <Field label={st('sla.contract.responseHours')} messages={errors['responseLimitHours']}>
          {(a) => <input {...a} inputMode="numeric" value={String(c.responseLimitHours)} onChange={(e) => setC({ ...c, responseLimitHours: int(e.target.value) })} />}
        </Field>
      </fieldset>
      {editable && (
        <button type="submit" className="btn btn-primary" disabled={form.busy}>
          {st('sla.contract.save')}
        </button>
      )}
    </form>
  );
}

function InvoiceForm({ api, campaignId, month, editable }: { api: SlaApi; campaignId: string; month: string; editable: boolean }) {
  const { announce } = useAdmin();
  const { st } = useSlaI18n();
  const invoices = useResource(`${campaignId}:sla-invoices`, () => api.invoices(campaignId));
  const current = invoices.data?.items.find((i) => i.month === month);
  const [text, setText] = useState<string | null>(null);
  const form = useFormSubmit();
  const value = text ?? (current ? formatMoney(current.amountCents) : '');
  const bad = form.attempted && parseMoney(value) === null;
  return (
    <form
      ref={form.formRef}
      className="admin-card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const cents = parseMoney(value);
        void form.run(cents === null ? { amountCents: { key: 'form.checkFields' } } : {}, async () => {
          await api.setInvoice(campaignId, month, cents ?? 0);
          announce(st('sla.invoice.saved'));
          invoices.reload();
        });
      }}
    >
      <FormBanner messages={form.server?.errors ?? {}} server={form.server} claims={[]} />
      <Field label={`${st('sla.invoice')} — ${month}`} messages={bad ? [st('sla.invoice.bad')] : form.server?.errors['amountCents']}>
        {(a) => <input {...a} inputMode="decimal" disabled={!editable} value={value} onChange={(e) => setText(e.target.value)} />}
      </Field>
      {editable && (
        <button type="submit" className="btn btn-primary btn-small" disabled={form.busy}>
          {st('sla.invoice.save')}
        </button>
      )}
    </form>
  );
}

/** The month's outages: start, end (campaign zone), description; deleting is refused for a validated month. */
export function SlaOutagesView({ api, campaignId, month, editable, offset }: { api: SlaApi; campaignId: string; month: string; editable: boolean; offset: string }) {
  const { announce, lang } = useAdmin();
  const { st } = useSlaI18n();
  const list = useResource(`${campaignId}:sla-outages:${month}`, () => api.outages(campaignId, month));
  const [draft, setDraft] = useState({ start: '', end: '', description: '' });
  const form = useFormSubmit();
  const errors = form.server?.errors ?? {};
  return (
    <div className="admin-card">
      <p className="admin-hint">{st('sla.outage.hint', { offset })}</p>
      {list.data ? (
        list.data.items.length === 0 ? (
          <p className="muted small">{st('sla.outage.none')}</p>
        ) : (
          <ul className="sla-outages">
            {list.data.items.map((o) => (
              <li key={o.id}>
                {new Date(o.startedAt).toLocaleString(lang)} – {new Date(o.endedAt).toLocaleString(lang)}: {o.description}{' '}
                {editable && (
                  <button type="button" className="btn btn-secondary btn-small" onClick={() => void form.run({}, async () => { await api.deleteOutage(o.id); list.reload(); })}>
                    {st('sla.outage.delete')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )
      ) : (
        <LoadState loading={list.loading} error={list.error} onRetry={list.reload} />
      )}
      {editable && (
        <form
          ref={form.formRef}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void form.run({}, async () => {
              await api.addOutage(campaignId, { startedAt: localInputToIso(draft.start, offset) ?? draft.start, endedAt: localInputToIso(draft.end, offset) ?? draft.end, description: draft.description });
              announce(st('sla.outage.added'));
              setDraft({ start: '', end: '', description: '' });
              list.reload();
            });
          }}
        >
          <FormBanner messages={errors} server={form.server} claims={['startedAt', 'endedAt', 'description']} />
          <div className="sla-row-grid">
            <Field label={st('sla.outage.start')} messages={errors['startedAt']}>
              {(a) => <input {...a} type="datetime-local" value={draft.start} onChange={(e) => setDraft({ ...draft, start: e.target.value })} />}
            </Field>
            <Field label={st('sla.outage.end')} messages={errors['endedAt']}>
              {(a) => <input {...a} type="datetime-local" value={draft.end} onChange={(e) => setDraft({ ...draft, end: e.target.value })} />}
            </Field>
            <Field label={st('sla.outage.description')} messages={errors['description']}>
              {(a) => <input {...a} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />}
            </Field>
          </div>
          <button type="submit" className="btn btn-primary btn-small" disabled={form.busy}>
            {st('sla.outage.add')}
          </button>
        </form>
      )}
    </div>
  );
}
