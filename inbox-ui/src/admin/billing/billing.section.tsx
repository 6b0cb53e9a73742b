import { useMemo, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { useAdmin } from '../admin-context.js';
import { LoadState, ReadOnlyNote, SectionHead, useResource } from '../admin-ui.js';
import { previousMonth } from '../sla/sla-form.js';
import { BillingApi } from './billing-api.js';
import { ConsumptionView } from './consumption.view.js';
import { PenaltiesView } from './penalties.view.js';
import { RateCardEditor } from './rate-card.editor.js';
import { StatementView } from './statement.view.js';
import { useBillingI18n } from './i18n/billing-i18n.js';
import './billing.css';

type Tab = 'statement' | 'consumption' | 'penalties' | 'rateCard';
const TABS: Tab[] = ['statement', 'consumption', 'penalties', 'rateCard'];

/**
 * «Facturación» (issue 10 item 9): the month's statement of the campaign with every line's trace
 * and folios, consumption against the contract, penalties, the rate card, exports and closing the
 * month. Admins change; supervisors (and auditors, should the console open for them) read.
 */
export function BillingSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { t, isAdmin } = useAdmin();
  const { bt } = useBillingI18n();
  const api = useMemo(() => new BillingApi(session), [session]);
  const [tab, setTab] = useState<Tab>('statement');
  const [month, setMonth] = useState(() => previousMonth(new Date()));
  // Bumped by every change (penalty, close, rate card): the statement is read again.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const statement = useResource(`${campaignId}:billing:${month}:${version}`, () => api.statement(campaignId, month));
  const cards = useResource(`${campaignId}:rate-card:${version}`, () => api.rateCards(campaignId));
  const labels: Record<Tab, string> = { statement: bt('bl.tab.statement'), consumption: bt('bl.tab.consumption'), penalties: bt('bl.tab.penalties'), rateCard: bt('bl.tab.rateCard') };
  const card = cards.data?.active.card ?? null;

  return (
    <div className="admin-section billing-section">
      <SectionHead title={t('section.billing')}>
        <label className="billing-month-picker">
          <span>{bt('bl.month')}</span> <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
      </SectionHead>
      <p className="admin-hint">{bt('bl.intro')}</p>
      {!isAdmin && <ReadOnlyNote text={bt('bl.readOnly')} />}
      <div className="billing-tabs" role="tablist">
        {TABS.map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={`btn btn-small ${tab === id ? 'btn-primary' : 'btn-secondary'}`} onClick={() => setTab(id)}>
            {labels[id]}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={labels[tab]}>
        {tab === 'rateCard' ? (
          cards.data ? (
            <RateCardEditor key={`${cards.data.active.id ?? 'default'}:${cards.data.draft?.id ?? ''}:${version}`} api={api} campaignId={campaignId} cards={cards.data} editable={isAdmin} onChanged={changed} />
          ) : (
            <LoadState loading={cards.loading} error={cards.error} onRetry={cards.reload} />
          )
        ) : statement.data && statement.data.month === month ? (
          <>
            {tab === 'statement' && <StatementView api={api} statement={statement.data} globalCapPct={card?.globalCapPct ?? null} editable={isAdmin} onChanged={changed} />}
            {tab === 'consumption' && <ConsumptionView statement={statement.data} termEndMonth={card?.termEndMonth ?? null} />}
            {tab === 'penalties' && <PenaltiesView key={`${month}:${version}`} api={api} campaignId={campaignId} month={month} penalties={statement.data.penalties} editable={isAdmin && statement.data.status === 'open'} closed={statement.data.status === 'closed'} onChanged={changed} />}
          </>
        ) : (
          <LoadState loading={statement.loading} error={statement.error} onRetry={statement.reload} />
        )}
      </div>
    </div>
  );
}
