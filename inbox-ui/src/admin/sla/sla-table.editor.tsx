import { useState } from 'react';
import { KPI_LABELS } from '../../../../hub/src/kpi/formulas/kpi-result.js';
import { SLA_KPIS } from '../../../../hub/src/kpi/sla/sla-table.schema.js';
import { useAdmin } from '../admin-context.js';
import { Field, FormBanner, ReadOnlyNote, useFormSubmit } from '../admin-ui.js';
import { blankRow, formatMoney, parseMoney, rowMessages } from './sla-form.js';
import type { SlaApi, SlaRowInput, SlaTableVersion } from './sla-api.js';
import { useSlaI18n } from './i18n/sla-i18n.js';

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
const optionalNum = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/**
 * The campaign's SLA table (issue 9 item 3): one card per row with every number the contract
 * prints. The hub validates with slaTableSchema and its Spanish problems appear next to each field.
 */
export function SlaTableEditor({ api, campaignId, active, draft, editable, onChanged }: { api: SlaApi; campaignId: string; active: SlaTableVersion; draft: SlaTableVersion | null; editable: boolean; onChanged(): void }) {
  const { announce } = useAdmin();
  const { st } = useSlaI18n();
  const start = draft ?? active;
  const [rows, setRows] = useState<SlaRowInput[]>(() => start.table.rows.map((r) => ({ ...r })));
  const [percent, setPercent] = useState(String(start.table.globalCap.percent));
  const form = useFormSubmit();
  const errors = form.server?.errors ?? {};
  const update = (index: number, patch: Partial<SlaRowInput>) => setRows((list) => list.map((r, i) => (i === index ? { ...r, ...patch } : r)));

  async function save() {
    await form.run({}, async () => {
      await api.saveDraft(campaignId, { rows, globalCap: { maxContractAmountWithoutIvaCents: start.table.globalCap.maxContractAmountWithoutIvaCents, percent: num(percent) } });
      announce(st('sla.draftSaved'));
      onChanged();
    });
  }
  async function activate() {
    await form.run({}, async () => {
      await api.activate(campaignId);
      announce(st('sla.activated'));
      onChanged();
    });
  }

  return (
    <form
      ref={form.formRef}
      className="sla-table-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted small">{active.version === 0 ? st('sla.table.default') : st('sla.table.active', { version: active.version })}</p>
      {draft && <p className="small">{st('sla.table.draft', { version: draft.version })}</p>}
      <p className="admin-hint">{st('sla.table.hint')}</p>
      {!editable && <ReadOnlyNote text={st('sla.readOnly')} />}
      <FormBanner messages={errors} server={form.server} claims={['rows', 'globalCap']} />
      <fieldset disabled={!editable || form.busy} className="sla-rows">
        {rows.map((row, index) => (
          <fieldset key={index} className="admin-card sla-row">
            <legend>{st('sla.row', { n: index + 1 })}</legend>
            <div className="sla-row-grid">
              <Field label={st('sla.row.id')} messages={rowMessages(errors, index, 'id')}>
                {(a) => <input {...a} value={row.id} onChange={(e) => update(index, { id: e.target.value })} />}
              </Field>
              <Field label={st('sla.row.name')} messages={rowMessages(errors, index, 'name')}>
                {(a) => <input {...a} value={row.name} onChange={(e) => update(index, { name: e.target.value })} />}
              </Field>
              <Field label={st('sla.row.kpi')} messages={rowMessages(errors, index, 'kpi')}>
                {(a) => (
                  <select {...a} value={row.kpi} onChange={(e) => update(index, { kpi: SLA_KPIS.find((k) => k === e.target.value) ?? row.kpi })}>
                    {SLA_KPIS.map((k) => (
                      <option key={k} value={k}>
                        {KPI_LABELS[k]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={st('sla.row.target')} messages={rowMessages(errors, index, 'target')}>
                {(a) => <input {...a} inputMode="decimal" value={Number.isNaN(row.target) ? '' : String(row.target)} onChange={(e) => update(index, { target: num(e.target.value) })} />}
              </Field>
              <Field label={st('sla.row.direction')} messages={rowMessages(errors, index, 'direction')}>
                {(a) => (
                  <select {...a} value={row.direction} onChange={(e) => update(index, { direction: e.target.value === 'lte' ? 'lte' : 'gte' })}>
                    <option value="gte">{st('sla.row.gte')}</option>
                    <option value="lte">{st('sla.row.lte')}</option>
                  </select>
                )}
              </Field>
              <Field label={st('sla.row.unitSize')} messages={rowMessages(errors, index, 'unitSize')}>
                {(a) => <input {...a} inputMode="decimal" value={row.unitSize === undefined ? '' : String(row.unitSize)} onChange={(e) => update(index, { unitSize: optionalNum(e.target.value) })} />}
              </Field>
              <Field label={st('sla.row.rounding')} messages={rowMessages(errors, index, 'rounding')}>
                {(a) => (
                  <select {...a} value={row.rounding} onChange={(e) => update(index, { rounding: e.target.value === 'full_units' ? 'full_units' : e.target.value === 'fraction_up' ? 'fraction_up' : 'exact' })}>
                    <option value="exact">{st('sla.row.exact')}</option>
                    <option value="full_units">{st('sla.row.full_units')}</option>
                    <option value="fraction_up">{st('sla.row.fraction_up')}</option>
                  </select>
                )}
              </Field>
              <Field label={st('sla.row.kind')} messages={rowMessages(errors, index, 'deduction.kind')}>
                {(a) => (
                  <select
                    {...a}
                    value={row.deduction.kind}
                    onChange={(e) => update(index, { deduction: e.target.value === 'fixed_per_unit' ? { kind: 'fixed_per_unit', amountCents: 0 } : { kind: 'percent_of_invoice', factor: 0.5, weightPercent: 5 } })}
                  >
                    <option value="percent_of_invoice">{st('sla.row.percent')}</option>
                    <option value="fixed_per_unit">{st('sla.row.fixed')}</option>
                  </select>
                )}
              </Field>
              {row.deduction.kind === 'percent_of_invoice' ? (
                <>
                  <Field label={st('sla.row.factor')} messages={rowMessages(errors, index, 'deduction.factor')}>
                    {(a) => <input {...a} inputMode="decimal" value={String(row.deduction.kind === 'percent_of_invoice' ? row.deduction.factor : '')} onChange={(e) => update(index, { deduction: { kind: 'percent_of_invoice', factor: num(e.target.value), weightPercent: row.deduction.kind === 'percent_of_invoice' ? row.deduction.weightPercent : 0 } })} />}
                  </Field>
                  <Field label={st('sla.row.weight')} messages={rowMessages(errors, index, 'deduction.weightPercent')}>
                    {(a) => <input {...a} inputMode="decimal" value={String(row.deduction.kind === 'percent_of_invoice' ? row.deduction.weightPercent : '')} onChange={(e) => update(index, { deduction: { kind: 'percent_of_invoice', factor: row.deduction.kind === 'percent_of_invoice' ? row.deduction.factor : 0, weightPercent: num(e.target.value) } })} />}
                  </Field>
                </>
              ) : (
                <Field label={st('sla.row.amount')} messages={rowMessages(errors, index, 'deduction.amountCents')}>
                  {(a) => <input {...a} inputMode="decimal" defaultValue={formatMoney(row.deduction.kind === 'fixed_per_unit' ? row.deduction.amountCents : 0)} onChange={(e) => update(index, { deduction: { kind: 'fixed_per_unit', amountCents: parseMoney(e.target.value) ?? Number.NaN } })} />}
                </Field>
              )}
              <Field label={st('sla.row.capPercent')} messages={rowMessages(errors, index, 'capPercentOfInvoice')}>
                {(a) => <input {...a} inputMode="decimal" value={row.capPercentOfInvoice === undefined ? '' : String(row.capPercentOfInvoice)} onChange={(e) => update(index, { capPercentOfInvoice: optionalNum(e.target.value) })} />}
              </Field>
              <Field label={st('sla.row.capAmount')} messages={rowMessages(errors, index, 'capCents')}>
                {(a) => <input {...a} inputMode="decimal" defaultValue={row.capCents === undefined ? '' : formatMoney(row.capCents)} onChange={(e) => update(index, { capCents: e.target.value.trim() === '' ? undefined : (parseMoney(e.target.value) ?? Number.NaN) })} />}
              </Field>
              <Field label={st('sla.row.months')} messages={rowMessages(errors, index, 'contractMonths')}>
                {(a) => (
                  <input
                    {...a}
                    placeholder="1–6"
                    defaultValue={row.contractMonths ? `${row.contractMonths.from}–${row.contractMonths.to ?? ''}` : ''}
                    onChange={(e) => {
                      const m = /^\s*(\d+)\s*[–-]\s*(\d*)\s*$/.exec(e.target.value);
                      update(index, { contractMonths: m ? { from: Number(m[1]), ...(m[2] ? { to: Number(m[2]) } : {}) } : undefined });
                    }}
                  />
                )}
              </Field>
            </div>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setRows((list) => list.filter((_, i) => i !== index))}>
              {st('sla.row.remove', { n: index + 1 })}
            </button>
          </fieldset>
        ))}
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setRows((list) => [...list, blankRow(list)])}>
          + {st('sla.addRow')}
        </button>
        <Field label={st('sla.globalPercent')} messages={errors['globalCap.percent']}>
          {(a) => <input {...a} inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} />}
        </Field>
      </fieldset>
      {editable && (
        <div className="admin-savebar">
          <button type="submit" className="btn btn-primary" disabled={form.busy}>
            {st('sla.saveDraft')}
          </button>
          {draft && (
            <button type="button" className="btn btn-secondary" disabled={form.busy} onClick={() => void activate()}>
              {st('sla.activate')}
            </button>
          )}
        </div>
      )}
    </form>
  );
}
