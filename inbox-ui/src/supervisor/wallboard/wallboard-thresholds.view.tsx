import { useCallback, useEffect, useId, useState } from 'react';
import type { WallboardMetric, WallboardQueueView } from '@ventanilla/hub/realtime-contract';
import { localizedMessage } from '../../api/api-error.js';
import type { Lang } from '../../i18n/lang.js';
import type { ThresholdView, WallboardApi } from './wallboard-api.js';
import { wallboardText, type WallboardKey } from './wallboard-text.js';

const METRICS: WallboardMetric[] = ['waiting', 'longest_wait_seconds', 'service_level_percent', 'abandonment_percent', 'asa_seconds', 'agents_available'];

/** Alert thresholds of the campaign (supervisors and admins; every change is audited by the hub). */
export function WallboardThresholds({ api, campaignId, queues, lang }: { api: WallboardApi; campaignId: string; queues: readonly WallboardQueueView[]; lang: Lang }) {
  const t = (key: WallboardKey, values?: Record<string, string | number>) => wallboardText(lang, key, values);
  const id = useId();
  const [items, setItems] = useState<ThresholdView[]>([]);
  const [scope, setScope] = useState('');
  const [metric, setMetric] = useState<WallboardMetric>('waiting');
  const [value, setValue] = useState('5');
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api.thresholds(campaignId).then((r) => setItems(r.items), () => setItems([]));
  }, [api, campaignId]);
  useEffect(reload, [reload]);
  const nameOf = (queueId: string | null) => (queueId === null ? t('campaignScope') : (queues.find((q) => q.queueId === queueId)?.name ?? queueId));

  async function add(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api.addThreshold(campaignId, { queueId: scope === '' ? null : scope, metric, value: Number(value) });
      reload();
    } catch (e) {
      setError(t('thresholdFailed', { message: localizedMessage(e instanceof Error ? e.message : String(e), lang) }));
    }
  }

  return (
    <details className="wb-thresholds">
      <summary>{t('thresholds')}</summary>
      <ul className="wb-threshold-list">
        {items.map((item) => (
          <li key={item.id}>
            <span>
              {nameOf(item.queueId)} · {t(`metric.${item.metric}`)} {item.direction === 'above' ? '>' : '<'} {item.value}
            </span>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => void api.removeThreshold(campaignId, item.id).then(reload, () => undefined)}>
              {t('remove')}
            </button>
          </li>
        ))}
      </ul>
      <form className="wb-threshold-form" onSubmit={(e) => void add(e)}>
        <label htmlFor={`${id}-scope`}>{t('queue')}</label>
        <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="">{t('campaignScope')}</option>
          {queues.map((q) => (
            <option key={q.queueId} value={q.queueId ?? ''}>
              {q.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-metric`}>{t('metric')}</label>
        <select id={`${id}-metric`} value={metric} onChange={(e) => setMetric(METRICS.find((m) => m === e.target.value) ?? 'waiting')}>
          {METRICS.map((m) => (
            <option key={m} value={m}>
              {t(`metric.${m}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-value`}>{t('value')}</label>
        <input id={`${id}-value`} type="number" min={0} step="any" value={value} onChange={(e) => setValue(e.target.value)} required />
        <button type="submit" className="btn btn-small">
          {t('add')}
        </button>
      </form>
      {error && (
        <p className="wb-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
