import { useState } from 'react';
import { useAdmin } from '../admin-context.js';
import { Field, FormBanner, useFormSubmit } from '../admin-ui.js';
import type { BillingApi, RateCard, RateCards, UsageSelector } from './billing-api.js';
import { formatCents, formatCount } from './billing-format.js';
import { describeCardPath, parseDraft } from './rate-card-paths.js';
import { useBillingI18n, type BillingTranslate } from './i18n/billing-i18n.js';

/** «agent_time · PS-I · nivel 2 · voice · inbound»: the dimensions a concept selects. */
function selectorText(usage: UsageSelector | null, bt: BillingTranslate): string {
  if (!usage) return '—';
  const tier = usage.tier ? bt('bl.rc.tier', { tier: usage.tier }) : null;
  return [usage.meter, usage.seatType ?? null, tier, usage.channelClass ?? null, usage.channelKind ?? null, usage.direction ?? null].filter((p): p is string => p !== null).join(' · ');
}

/**
 * The campaign's rate card (issue 10 item 1): the active version's concepts and general terms,
 * and a draft edited as the JSON the hub validates (rateCardSchema); its Spanish problems are
 * listed by path. Activating archives the previous version.
 */
export function RateCardEditor({ api, campaignId, cards, editable, onChanged }: { api: BillingApi; campaignId: string; cards: RateCards; editable: boolean; onChanged(): void }) {
  const { announce } = useAdmin();
  const { bt } = useBillingI18n();
  const [text, setText] = useState(() => JSON.stringify((cards.draft ?? cards.active).card, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const form = useFormSubmit();
  const errors = { ...(form.server?.errors ?? {}), ...(jsonError ? { json: [jsonError] } : {}) };

  async function save() {
    let card: unknown;
    try {
      card = JSON.parse(text);
      setJsonError(null);
    } catch (e) {
      setJsonError(bt('bl.rc.badJson', { message: e instanceof Error ? e.message : String(e) }));
      return;
    }
    await form.run({}, async () => {
      await api.saveDraft(campaignId, card);
      announce(bt('bl.rc.saved'));
      onChanged();
    });
  }
  async function activate() {
    await form.run({}, async () => {
      await api.activate(campaignId);
      announce(bt('bl.rc.activated'));
      onChanged();
    });
  }

  return (
    <div className="admin-card billing-rate-card">
      <p>
        <strong>{cards.active.status === 'default' ? bt('bl.rc.default') : bt('bl.rc.active', { version: cards.active.version })}</strong>
        {cards.draft && <span className="small"> · {bt('bl.rc.draft', { version: cards.draft.version })}</span>}
      </p>
      <ActiveCard card={cards.active.card} />
      {editable && (
        <form
          ref={form.formRef}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <FormBanner messages={errors} server={form.server} claims={['json']} describe={(path) => describeCardPath(path, parseDraft(text), (n, code) => bt('bl.rc.concept', { n, code }))} />
          <Field label={bt('bl.rc.json')} hint={bt('bl.rc.hint')} messages={errors['json']}>
            {(a) => <textarea {...a} className="billing-json" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <div className="admin-savebar">
            <button type="submit" className="btn btn-primary" disabled={form.busy}>
              {bt('bl.rc.saveDraft')}
            </button>
            {cards.draft && (
              <button type="button" className="btn btn-secondary" disabled={form.busy} onClick={() => void activate()}>
                {bt('bl.rc.activate')}
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}

function ActiveCard({ card }: { card: RateCard }) {
  const { bt } = useBillingI18n();
  const occ = card.occupancyTariff;
  return (
    <>
      <p className="small">{bt('bl.rc.general', { iva: card.ivaPct, termEnd: card.termEndMonth, cap: card.globalCapPct, states: card.billableStates.join(', ') })}</p>
      <p className="small">
        {occ.enabled ? bt('bl.rc.occupancy', { concepts: occ.conceptCodes.join(', '), bands: occ.bands.map((b) => `≥ ${b.minPct} % → ${b.tariffPct} %`).join('; ') }) : bt('bl.rc.occupancyOff')}
      </p>
      <table className="billing-table" aria-label={bt('bl.tab.rateCard')}>
        <thead>
          <tr>
            <th scope="col">{bt('bl.rc.code')}</th>
            <th scope="col">{bt('bl.rc.name')}</th>
            <th scope="col">{bt('bl.col.unit')}</th>
            <th scope="col" className="num">{bt('bl.col.unitPrice')}</th>
            <th scope="col" className="num">{bt('bl.cons.min')}</th>
            <th scope="col" className="num">{bt('bl.cons.max')}</th>
            <th scope="col">{bt('bl.rc.usage')}</th>
            <th scope="col" className="num">{bt('bl.rc.cap')}</th>
          </tr>
        </thead>
        <tbody>
          {card.concepts.map((c) => (
            <tr key={c.code}>
              <td>
                <code>{c.code}</code>
              </td>
              <th scope="row">{c.name}</th>
              <td>{bt(`bl.unit.${c.unit}`)}</td>
              <td className="num">{formatCents(c.unitPriceCents)}</td>
              <td className="num">{formatCount(c.minQuantity)}</td>
              <td className="num">{formatCount(c.maxQuantity)}</td>
              <td>{c.usage ? selectorText(c.usage, bt) : bt('bl.rc.fixed', { quantity: c.fixedQuantity ?? 1 })}</td>
              <td className="num">{c.deductionCapPct === undefined ? '—' : `${c.deductionCapPct} %`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
