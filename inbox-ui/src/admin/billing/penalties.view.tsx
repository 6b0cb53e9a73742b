import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { ConfirmDialog, Field, FormBanner, LoadState, ReadOnlyNote, useFormSubmit, useResource } from '../admin-ui.js';
import { parseMoney } from '../sla/sla-form.js';
import type { BillingApi, Penalty, PenaltyLine } from './billing-api.js';
import { formatCents } from './billing-format.js';
import { useBillingI18n } from './i18n/billing-i18n.js';

const KINDS: PenaltyLine['kind'][] = ['per_day', 'per_hour', 'fixed'];

/**
 * The month's fixed penalties (penas convencionales, issue 10 item 6): list, add, delete. The
 * statement applies them under the global cap; a closed month's penalties no longer change.
 */
export function PenaltiesView({ api, campaignId, month, penalties, editable, closed, onChanged }: { api: BillingApi; campaignId: string; month: string; penalties: readonly PenaltyLine[]; editable: boolean; closed: boolean; onChanged(): void }) {
  const { announce } = useAdmin();
  const { bt } = useBillingI18n();
  const list = useResource(`${campaignId}:penalties:${month}`, () => api.penalties(campaignId, month));
  const [kind, setKind] = useState<PenaltyLine['kind']>('per_day');
  const [units, setUnits] = useState('1');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [local, setLocal] = useState<Record<string, string[]>>({});
  const [deleting, setDeleting] = useState<Penalty | null>(null);
  const form = useFormSubmit();
  const errors = { ...(form.server?.errors ?? {}), ...local };
  const applied = new Map(penalties.map((p) => [p.id, p]));

  async function add() {
    const cents = parseMoney(amount);
    const n = /^\d+$/.test(units.trim()) ? Number(units) : Number.NaN;
    const problems: Record<string, string[]> = {};
    if (cents === null || cents <= 0) problems['amountPerUnitCents'] = [bt('bl.pen.badAmount')];
    if (!Number.isSafeInteger(n) || n <= 0) problems['units'] = [bt('bl.pen.badUnits')];
    setLocal(problems);
    if (Object.keys(problems).length > 0 || cents === null) return;
    await form.run({}, async () => {
      await api.addPenalty(campaignId, { month, kind, units: n, amountPerUnitCents: cents, description: description.trim() });
      announce(bt('bl.pen.added'));
      setAmount('');
      setDescription('');
      onChanged();
    });
  }

  return (
    <div className="admin-card billing-penalties">
      <h3>{bt('bl.pen.title')}</h3>
      {closed && <ReadOnlyNote text={bt('bl.pen.frozen')} />}
      {!list.data ? (
        <LoadState loading={list.loading} error={list.error} onRetry={list.reload} />
      ) : list.data.items.length === 0 ? (
        <p className="muted small">{bt('bl.pen.none')}</p>
      ) : (
        <ul className="billing-list">
          {list.data.items.map((p) => (
            <li key={p.id}>
              <strong>{p.description}</strong> · {bt('bl.pen.row', { kind: bt(`bl.pen.kind.${p.kind}`), units: p.units, perUnit: formatCents(p.amountPerUnitCents), total: formatCents(p.totalCents) })}
              {applied.get(p.id) && <div className="small muted">{applied.get(p.id)?.trace}</div>}
              {editable && (
                <button type="button" className="btn btn-ghost btn-small admin-danger-text" aria-label={bt('bl.pen.delete', { description: p.description })} onClick={() => setDeleting(p)}>
                  {bt('bl.pen.delete', { description: p.description })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form
          ref={form.formRef}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <FormBanner messages={errors} server={form.server} claims={['kind', 'units', 'amountPerUnitCents', 'description']} />
          <div className="billing-penalty-grid">
            <Field label={bt('bl.pen.kind')} messages={errors['kind']}>
              {(a) => (
                <select {...a} value={kind} onChange={(e) => setKind(KINDS.find((k) => k === e.target.value) ?? 'per_day')}>
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {bt(`bl.pen.kind.${k}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={bt('bl.pen.units')} messages={errors['units']}>
              {(a) => <input {...a} inputMode="numeric" value={units} onChange={(e) => setUnits(e.target.value)} />}
            </Field>
            <Field label={bt('bl.pen.amount')} messages={errors['amountPerUnitCents']}>
              {(a) => <input {...a} inputMode="decimal" placeholder="1,500.00" value={amount} onChange={(e) => setAmount(e.target.value)} />}
            </Field>
            <Field label={bt('bl.pen.description')} messages={errors['description']}>
              {(a) => <input {...a} value={description} onChange={(e) => setDescription(e.target.value)} />}
            </Field>
          </div>
          <div className="admin-savebar">
            <button type="submit" className="btn btn-primary" disabled={form.busy}>
              {bt('bl.pen.add')}
            </button>
          </div>
        </form>
      )}
      {deleting && (
        <ConfirmDialog
          title={bt('bl.pen.delete', { description: deleting.description })}
          message={bt('bl.pen.deleteConfirm', { description: deleting.description })}
          confirmLabel={bt('bl.pen.delete', { description: deleting.description })}
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await api.deletePenalty(campaignId, deleting.id);
            announce(bt('bl.pen.deleted'));
            onChanged();
          }}
        />
      )}
    </div>
  );
}
