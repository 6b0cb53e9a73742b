import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../api/api-error.js';
import { useI18n } from '../i18n/i18n.js';
import type { QualityApi, Scorecard, ScorecardItem } from './quality-api.js';
import { itemKey, weightTotal } from './quality-state.js';
import { qualityText, type QualityKey } from './quality-text.js';

interface Draft {
  /** null = not saved yet. */
  id: string | null;
  name: string;
  items: ScorecardItem[];
}

/**
 * Supervisors' scorecard editor: versions (draft → active, one active, the rest archived), items
 * with weights summing to 100 and critical flags. A new version starts from the active one or
 * from the suggested scorecard; only drafts change (the hub refuses anything else).
 */
export function ScorecardEditor({ api, campaignId, canManage }: { api: QualityApi; campaignId: string; canManage: boolean }) {
  const { lang } = useI18n();
  const t = (key: QualityKey, values?: Record<string, string | number>) => qualityText(lang, key, values);
  const [cards, setCards] = useState<Scorecard[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(() => {
    api.scorecards(campaignId).then((r) => setCards(r.items), () => setCards([]));
  }, [api, campaignId]);
  useEffect(load, [load]);

  const fail = (e: unknown) => setMessage({ tone: 'error', text: t('failed', { message: errorText(e, lang, '') }) });
  const total = draft ? weightTotal(draft.items) : null;
  const setItem = (index: number, patch: Partial<ScorecardItem>) => draft && setDraft({ ...draft, items: draft.items.map((it, i) => (i === index ? { ...it, ...patch } : it)) });

  async function saveDraft(): Promise<string | null> {
    if (!draft) return null;
    try {
      const saved = draft.id ? await api.updateScorecard(draft.id, { name: draft.name, items: draft.items }) : await api.createScorecard({ campaignId, name: draft.name, items: draft.items });
      setDraft({ id: saved.id, name: saved.name, items: saved.items });
      load();
      return saved.id;
    } catch (e) {
      fail(e);
      return null;
    }
  }

  return (
    <section aria-labelledby="quality-scorecards" className="quality-card">
      <h2 id="quality-scorecards">{t('scorecardsTitle')}</h2>
      <ul className="quality-list">
        {cards.map((c) => (
          <li key={c.id}>
            {t('version', { name: c.name, version: c.version, status: t(`status_${c.status}`) })}
            {canManage && c.status === 'draft' && (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setDraft({ id: c.id, name: c.name, items: c.items })}>
                {t('review')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canManage && !draft && (
        <div className="quality-row">
          <button
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => {
              const active = cards.find((c) => c.status === 'active');
              if (active) setDraft({ id: null, name: active.name, items: active.items.map((i) => ({ ...i })) });
              else void api.template().then((tpl) => setDraft({ id: null, name: tpl.name, items: tpl.items }), fail);
            }}
          >
            {t('newVersion')}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void api.template().then((tpl) => setDraft({ id: null, name: tpl.name, items: tpl.items }), fail)}>
            {t('useTemplate')}
          </button>
        </div>
      )}
      {draft && total && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void saveDraft();
          }}
        >
          <label className="field">
            <span>{t('name')}</span>
            <input type="text" required maxLength={200} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          </label>
          {draft.items.map((item, index) => (
            <div key={index} className="quality-editor-item">
              <input type="text" required maxLength={200} aria-label={t('itemLabel', { n: index + 1 })} value={item.label} onChange={(e) => setItem(index, { label: e.target.value })} />
              <input type="number" min={0} max={100} step={0.01} required aria-label={t('itemWeight', { n: index + 1 })} value={Number.isFinite(item.weight) ? item.weight : ''} onChange={(e) => setItem(index, { weight: e.target.valueAsNumber })} />
              <label>
                <input type="checkbox" checked={item.critical} onChange={(e) => setItem(index, { critical: e.target.checked })} /> {t('critical')}
              </label>
              <button type="button" className="btn btn-ghost btn-small" aria-label={t('removeItem', { n: index + 1 })} onClick={() => setDraft({ ...draft, items: draft.items.filter((_, i) => i !== index) })}>
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={() => setDraft({ ...draft, items: [...draft.items, { id: itemKey(`punto ${draft.items.length + 1}`, draft.items.map((i) => i.id)), label: '', weight: 0, critical: false }] })}
          >
            {t('addItem')}
          </button>
          <p aria-live="polite" className={total.ok ? 'small' : 'small quality-warn'}>
            {t('total', { total: total.total.toFixed(2) })}
          </p>
          <div className="quality-row">
            <button type="submit" className="btn btn-secondary" disabled={!total.ok}>
              {t('saveDraft')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!total.ok}
              onClick={() =>
                void saveDraft().then(async (id) => {
                  if (!id) return;
                  try {
                    await api.activateScorecard(id);
                    setDraft(null);
                    setMessage({ tone: 'ok', text: t('activated') });
                    load();
                  } catch (e) {
                    fail(e);
                  }
                })
              }
            >
              {t('activate')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setDraft(null)}>
              {t('back')}
            </button>
          </div>
        </form>
      )}
      {message && <p role={message.tone === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </section>
  );
}
