import { useMemo, useState } from 'react';
import type { AuthSession } from '../../api/auth-session.js';
import { useAdmin } from '../admin-context.js';
import { LoadState, SectionHead, useResource } from '../admin-ui.js';
import { SlaApi } from './sla-api.js';
import { SlaContractView, SlaOutagesView } from './sla-contract.view.js';
import { previousMonth } from './sla-form.js';
import { SlaMonthView } from './sla-month.view.js';
import { SlaTableEditor } from './sla-table.editor.js';
import { useSlaI18n } from './i18n/sla-i18n.js';
import './sla.css';

type Tab = 'table' | 'contract' | 'outages' | 'month';
const TABS: Tab[] = ['month', 'table', 'contract', 'outages'];

/** The campaign's UTC offset now ("-06:00"), for outage times typed on the wall clock. */
function offsetOf(timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-06:00';
  const m = /GMT([+-]\d{2}:\d{2})/.exec(part);
  return m?.[1] ?? '+00:00';
}

/**
 * «Niveles de servicio (SLA)»: the campaign's SLA table, contract data and invoice, outages, and the
 * month's evaluation that the admin validates (issue 9 items 3 and 7). Supervisors read it.
 */
export function SlaSection({ campaignId, session }: { campaignId: string; session: AuthSession }) {
  const { t, isAdmin, campaigns } = useAdmin();
  const { st } = useSlaI18n();
  const api = useMemo(() => new SlaApi(session), [session]);
  const [tab, setTab] = useState<Tab>('month');
  const [month, setMonth] = useState(() => previousMonth(new Date()));
  const [version, setVersion] = useState(0);
  const table = useResource(`${campaignId}:sla-table:${version}`, () => api.table(campaignId));
  const timeZone = campaigns.find((c) => c.id === campaignId)?.timeZone ?? 'America/Mexico_City';
  const labels: Record<Tab, string> = { table: st('sla.tab.table'), contract: st('sla.tab.contract'), outages: st('sla.tab.outages'), month: st('sla.tab.month') };

  return (
    <div className="admin-section sla-section">
      <SectionHead title={t('section.sla')}>
        <label className="sla-month-picker">
          <span>{st('sla.month')}</span> <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
      </SectionHead>
      <div className="sla-tabs" role="tablist">
        {TABS.map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={`btn btn-small ${tab === id ? 'btn-primary' : 'btn-secondary'}`} onClick={() => setTab(id)}>
            {labels[id]}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={labels[tab]}>
        {tab === 'month' && <SlaMonthView key={month} api={api} campaignId={campaignId} month={month} editable={isAdmin} />}
        {tab === 'contract' && <SlaContractView api={api} campaignId={campaignId} month={month} editable={isAdmin} />}
        {tab === 'outages' && <SlaOutagesView key={month} api={api} campaignId={campaignId} month={month} editable={isAdmin} offset={offsetOf(timeZone)} />}
        {tab === 'table' &&
          (table.data ? (
            <SlaTableEditor key={`${table.data.draft?.id ?? ''}:${table.data.active.version}:${version}`} api={api} campaignId={campaignId} active={table.data.active} draft={table.data.draft} editable={isAdmin} onChanged={() => setVersion((v) => v + 1)} />
          ) : (
            <LoadState loading={table.loading} error={table.error} onRetry={table.reload} />
          ))}
      </div>
    </div>
  );
}
