import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { errorText } from '../api/api-error.js';
import type { SessionUser } from '../api/api-types.js';
import type { AuthSession } from '../api/auth-session.js';
import { useI18n } from '../i18n/i18n.js';
import { LanguageSwitch } from '../ui/language-switch.view.js';
import { qualityApi, type QualityCampaign, type QualityKpi, type SampleItem, type SampleView } from './quality-api.js';
import { QualityEvaluation } from './quality-evaluation.view.js';
import { monthOf, shiftMonth } from './quality-state.js';
import { qualityText, type QualityKey } from './quality-text.js';
import { ScorecardEditor } from './scorecard-editor.view.js';
import './quality.css';

const CHANNEL_KINDS = ['voice', 'webchat', 'email', 'whatsapp', 'sms', 'messenger'] as const;

/**
 * «Calidad» (issue 9 item 8): the month's quality KPI with its arithmetic, the samples with their
 * progress (evaluated x / N), the sampled interactions and the evaluation beside the transcript;
 * supervisors also draw samples and edit scorecards. A user whose only role is quality analyst
 * gets this screen instead of the inbox; others open it from the top bar (`onClose` set).
 */
export function QualityScreen({ session, user, onClose }: { session: AuthSession; user: SessionUser; onClose?: () => void }) {
  const { lang } = useI18n();
  const t = (key: QualityKey, values?: Record<string, string | number>) => qualityText(lang, key, values);
  const id = useId();
  const api = useMemo(() => qualityApi(session), [session]);
  const isManager = user.roles.includes('admin') || user.roles.includes('supervisor');
  const canEvaluate = user.roles.includes('quality_analyst');
  const [campaigns, setCampaigns] = useState<QualityCampaign[] | null>(null);
  const [campaignId, setCampaignId] = useState('');
  const [month, setMonth] = useState('');
  const [samples, setSamples] = useState<SampleView[]>([]);
  const [kpi, setKpi] = useState<QualityKpi | null>(null);
  const [openSample, setOpenSample] = useState<SampleView | null>(null);
  const [items, setItems] = useState<SampleItem[]>([]);
  const [openItem, setOpenItem] = useState<string | null>(null);
  const [drawKind, setDrawKind] = useState<string>('voice');
  const [drawSize, setDrawSize] = useState(100);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    api.campaigns().then(
      (r) => {
        setCampaigns(r.items);
        const first = r.items[0];
        if (first) {
          setCampaignId(first.id);
          setMonth(monthOf(new Date(), first.timeZone));
        }
      },
      () => setCampaigns([]),
    );
  }, [api]);

  const refresh = useCallback(() => {
    if (!campaignId || !month) return;
    api.samples(campaignId, month).then((r) => setSamples(r.items), () => setSamples([]));
    api.kpi(campaignId, month).then(setKpi, () => setKpi(null));
  }, [api, campaignId, month]);
  useEffect(refresh, [refresh]);

  const loadItems = useCallback((sample: SampleView) => {
    api.items(sample.id).then((r) => setItems(r.items), () => setItems([]));
  }, [api]);

  const campaign = campaigns?.find((c) => c.id === campaignId);
  const months = campaign ? Array.from({ length: 13 }, (_, i) => shiftMonth(monthOf(new Date(), campaign.timeZone), -i)) : [];
  const fmt = (value: number | null) => (value === null ? '—' : `${value.toFixed(2)} %`);

  return (
    <div className="app quality-app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            V
          </span>
          <span className="brand-name">{t('title')}</span>
        </div>
        <div className="topbar-right">
          <LanguageSwitch />
          <span className="user-chip" title={user.email}>
            {user.displayName}
          </span>
          {onClose ? (
            <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
              {t('close')}
            </button>
          ) : (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void session.logout()}>
              {t('logout')}
            </button>
          )}
        </div>
      </header>
      <main id="main" className="quality-main">
        <h1>{t('title')}</h1>
        {campaigns !== null && campaigns.length === 0 && <p role="alert">{t('noCampaigns')}</p>}
        {campaign && (
          <div className="quality-row">
            <div className="field">
              <label htmlFor={`${id}-campaign`}>{t('campaign')}</label>
              <select
                id={`${id}-campaign`}
                value={campaignId}
                onChange={(e) => {
                  setCampaignId(e.target.value);
                  setOpenSample(null);
                  setOpenItem(null);
                }}
              >
                {campaigns?.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-month`}>{t('month')}</label>
              <select
                id={`${id}-month`}
                value={month}
                onChange={(e) => {
                  setMonth(e.target.value);
                  setOpenSample(null);
                  setOpenItem(null);
                }}
              >
                {(months.includes(month) ? months : [month, ...months]).map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}

        {openSample && openItem ? (
          <QualityEvaluation
            api={api}
            session={session}
            me={user.id}
            sampleId={openSample.id}
            conversationId={openItem}
            canEvaluate={canEvaluate}
            onBack={() => setOpenItem(null)}
            onSaved={() => {
              refresh();
              loadItems(openSample);
            }}
          />
        ) : openSample ? (
          <section aria-labelledby={`${id}-items`} className="quality-card">
            <div className="quality-row">
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpenSample(null)}>
                {t('back')}
              </button>
              <h2 id={`${id}-items`}>{t('itemsTitle', { channel: openSample.channelKind, month: openSample.month })}</h2>
            </div>
            <ol className="quality-list">
              {items.map((item) => (
                <li key={item.conversationId}>
                  <span>
                    {item.position}. {item.folio} · {item.agentName ?? '—'} · {item.analystName ? t('analyst', { name: item.analystName }) : t('unassigned')} ·{' '}
                    {item.score === null ? t('pending') : t('score', { score: item.score.toFixed(2) })}
                  </span>
                  <button type="button" className="btn btn-secondary btn-small" aria-label={`${canEvaluate && item.score === null ? t('evaluate') : t('review')} ${item.folio}`} onClick={() => setOpenItem(item.conversationId)}>
                    {canEvaluate && item.score === null ? t('evaluate') : t('review')}
                  </button>
                </li>
              ))}
            </ol>
          </section>
        ) : (
          campaign && (
            <>
              <section aria-labelledby={`${id}-kpi`} className="quality-card">
                <h2 id={`${id}-kpi`}>{t('kpiTitle')}</h2>
                {kpi && (
                  <>
                    <p className="quality-kpi" data-testid="quality-kpi-value">
                      {kpi.overall.status === 'sin_trafico' ? t('kpiNoSample') : fmt(kpi.overall.value)}
                    </p>
                    <p className="small">{kpi.overall.explanation}</p>
                    <p className="small muted">{t('kpiFormula', { formula: kpi.overall.formula, seed: kpi.overall.seedRef })}</p>
                    <ul className="quality-list">
                      {kpi.byChannel.map((c) => (
                        <li key={c.channelKind}>{t('kpiChannel', { channel: c.channelKind, value: `${fmt(c.kpi.value)} (${c.kpi.explanation})` })}</li>
                      ))}
                    </ul>
                    <h3>{t('agentsTitle')}</h3>
                    {kpi.agents.length === 0 ? (
                      <p className="muted small">{t('noAgents')}</p>
                    ) : (
                      <ul className="quality-list">
                        {kpi.agents.map((a) => (
                          <li key={a.agentId ?? 'none'}>{t('agentRow', { name: a.displayName ?? '—', average: a.averageScore === null ? '—' : a.averageScore.toFixed(2), count: a.evaluations })}</li>
                        ))}
                      </ul>
                    )}
                  </>
                )}
              </section>

              <section aria-labelledby={`${id}-samples`} className="quality-card">
                <h2 id={`${id}-samples`}>{t('samplesTitle')}</h2>
                {samples.length === 0 && <p className="muted">{t('noSamples')}</p>}
                <ul className="quality-list">
                  {samples.map((s) => (
                    <li key={s.id}>
                      <span>
                        {t('sampleRow', { channel: s.channelKind, evaluated: s.evaluated, size: s.sampleSize, drawn: s.drawn, population: s.population })}
                        {canEvaluate ? ` · ${t('mine', { count: s.assignedToMe })}` : ''}
                        <progress max={s.sampleSize} value={s.evaluated} aria-label={`${s.evaluated} / ${s.sampleSize}`} />
                        <span className="small muted"> {t('seed', { seed: s.seed })}</span>
                      </span>
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() => {
                          setOpenSample(s);
                          loadItems(s);
                        }}
                      >
                        {t('open')} ({s.channelKind})
                      </button>
                      {!canEvaluate || isManager ? (
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => void api.downloadCsv(s.id).catch((e: unknown) => setNotice({ tone: 'error', text: t('failed', { message: errorText(e, lang, '') }) }))}>
                          {t('csv')}
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
                {isManager && (
                  <form
                    className="quality-row"
                    aria-label={t('drawTitle')}
                    onSubmit={(e) => {
                      e.preventDefault();
                      api.draw({ campaignId, channelKind: drawKind, month, sampleSize: drawSize }).then(
                        (r) => {
                          setNotice({ tone: 'ok', text: t('drawn', { drawn: r.drawn, population: r.population }) });
                          refresh();
                        },
                        (err: unknown) => setNotice({ tone: 'error', text: t('failed', { message: errorText(err, lang, '') }) }),
                      );
                    }}
                  >
                    <label className="field">
                      <span>{t('channelKind')}</span>
                      <select value={drawKind} onChange={(e) => setDrawKind(e.target.value)}>
                        {CHANNEL_KINDS.map((k) => (
                          <option key={k} value={k}>
                            {k}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label className="field">
                      <span>{t('sampleSize')}</span>
                      <input type="number" min={1} max={10000} required value={drawSize} onChange={(e) => setDrawSize(e.target.valueAsNumber)} />
                    </label>
                    <button type="submit" className="btn btn-primary">
                      {t('draw')}
                    </button>
                  </form>
                )}
                {notice && <p role={notice.tone === 'error' ? 'alert' : 'status'}>{notice.text}</p>}
              </section>

              <ScorecardEditor api={api} campaignId={campaignId} canManage={isManager} />
            </>
          )
        )}
      </main>
    </div>
  );
}
