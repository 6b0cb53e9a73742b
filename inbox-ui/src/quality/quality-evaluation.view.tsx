import { useEffect, useId, useMemo, useState } from 'react';
import { errorText } from '../api/api-error.js';
import { HubApi } from '../api/hub-api.js';
import type { AuthSession } from '../api/auth-session.js';
import { useI18n } from '../i18n/i18n.js';
import { TimelineEntry, type TimelineContext } from '../ui/timeline-entry.view.js';
import type { Answer, Interaction, QualityApi } from './quality-api.js';
import { previewScore } from './quality-state.js';
import { qualityText, type QualityKey } from './quality-text.js';

/**
 * One sampled interaction: the full transcript (and the call recording, played through the hub)
 * beside the scorecard form. The hub computes and stores the score; the preview only mirrors it.
 */
export function QualityEvaluation({ api, session, me, sampleId, conversationId, canEvaluate, onBack, onSaved }: {
  api: QualityApi;
  session: AuthSession;
  me: string;
  sampleId: string;
  conversationId: string;
  canEvaluate: boolean;
  onBack(): void;
  onSaved(): void;
}) {
  const { lang } = useI18n();
  const t = (key: QualityKey, values?: Record<string, string | number>) => qualityText(lang, key, values);
  const id = useId();
  const hubApi = useMemo(() => new HubApi(session), [session]);
  const [data, setData] = useState<Interaction | null>(null);
  const [answers, setAnswers] = useState<Record<string, { met?: boolean; comment?: string }>>({});
  const [comments, setComments] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [audio, setAudio] = useState<Record<string, string>>({});

  useEffect(() => {
    let live = true;
    api.interaction(sampleId, conversationId).then(
      (d) => {
        if (!live) return;
        setData(d);
        setAnswers(d.evaluation?.answers ?? {});
        setComments(d.evaluation?.comments ?? '');
      },
      (e: unknown) => live && setError(errorText(e, lang, t('failed', { message: '' }))),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, sampleId, conversationId]);
  useEffect(() => () => Object.values(audio).forEach((url) => URL.revokeObjectURL(url)), [audio]);

  if (!data) return <p className="muted">{error ?? '…'}</p>;
  const scorecard = data.scorecard;
  const mayEdit = canEvaluate && (data.evaluation ? data.evaluation.analystId === me : data.item.analystId === null || data.item.analystId === me);
  // Only items with a choice count as answered; a comment alone is not an answer.
  const chosen: Record<string, Answer> = Object.fromEntries(
    Object.entries(answers).flatMap(([key, a]) => (a.met === undefined ? [] : [[key, { met: a.met, ...(a.comment?.trim() ? { comment: a.comment.trim() } : {}) }]])),
  );
  const preview = scorecard ? previewScore(scorecard.items, chosen) : null;
  const ctx: TimelineContext = { api: hubApi, me, channelKind: data.conversation.channelKind, contactName: data.conversation.contactName ?? '', queues: {}, nameOf: (userId) => (userId && userId === data.item.agentId ? (data.item.agentName ?? '') : '') };

  async function save() {
    setError(null);
    setStatus(null);
    try {
      const result = await api.evaluate(sampleId, conversationId, { answers: chosen, comments: comments.trim() === '' ? null : comments });
      setStatus(t(result.revised ? 'revised' : 'saved', { score: result.score.toFixed(2) }));
      onSaved();
    } catch (e) {
      setError(t('failed', { message: errorText(e, lang, '') }));
    }
  }

  return (
    <div className="quality-evaluation">
      <div className="quality-row">
        <button type="button" className="btn btn-ghost btn-small" onClick={onBack}>
          {t('back')}
        </button>
        <h2>
          {data.conversation.folio} · {data.conversation.channelKind}
        </h2>
      </div>
      <div className="quality-split">
        <section aria-labelledby={`${id}-transcript`} className="quality-transcript">
          <h3 id={`${id}-transcript`}>{t('transcript')}</h3>
          {data.recordings.length > 0 && (
            <div>
              <h4>{t('recording')}</h4>
              {data.recordings.map((r) =>
                audio[r.recordingSid] ? (
                  <audio key={r.recordingSid} controls src={audio[r.recordingSid]} />
                ) : (
                  <button
                    key={r.recordingSid}
                    type="button"
                    className="btn btn-secondary btn-small"
                    onClick={() => void api.recordingUrl(r.recordingSid).then((url) => setAudio((a) => ({ ...a, [r.recordingSid]: url })), (e: unknown) => setError(t('failed', { message: errorText(e, lang, '') })))}
                  >
                    {t('play')}
                  </button>
                ),
              )}
            </div>
          )}
          <ol className="quality-timeline">
            {data.timeline.map((item, i) => (
              <li key={i}>
                <TimelineEntry item={item} ctx={ctx} />
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby={`${id}-form`} className="quality-form">
          <h3 id={`${id}-form`}>{t('form')}</h3>
          {!scorecard ? (
            <p role="alert">{t('noScorecard')}</p>
          ) : (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              {!mayEdit && <p className="muted">{t('readOnly')}</p>}
              <p className="small muted">{t('criticalRule')}</p>
              {scorecard.items.map((item) => {
                const answer = answers[item.id];
                return (
                  <fieldset key={item.id} className="quality-item" disabled={!mayEdit}>
                    <legend>
                      {item.label} · {t('weight', { weight: item.weight })}
                      {item.critical ? ` · ${t('critical')}` : ''}
                    </legend>
                    <label>
                      <input type="radio" name={`${id}-${item.id}`} checked={answer?.met === true} onChange={() => setAnswers({ ...answers, [item.id]: { ...answer, met: true } })} /> {t('met')}
                    </label>
                    <label>
                      <input type="radio" name={`${id}-${item.id}`} checked={answer?.met === false} onChange={() => setAnswers({ ...answers, [item.id]: { ...answer, met: false } })} /> {t('notMet')}
                    </label>
                    <label className="field">
                      <span className="sr-only">{t('comment', { label: item.label })}</span>
                      <input
                        type="text"
                        maxLength={1000}
                        aria-label={t('comment', { label: item.label })}
                        value={answer?.comment ?? ''}
                        onChange={(e) => setAnswers({ ...answers, [item.id]: { ...answer, comment: e.target.value } })}
                      />
                    </label>
                  </fieldset>
                );
              })}
              <label className="field">
                <span>{t('comments')}</span>
                <textarea maxLength={4000} value={comments} disabled={!mayEdit} onChange={(e) => setComments(e.target.value)} />
              </label>
              <p aria-live="polite">
                <strong>{preview === null ? t('previewIncomplete') : t('preview', { score: preview.toFixed(2) })}</strong>
              </p>
              {mayEdit && (
                <button type="submit" className="btn btn-primary" disabled={preview === null}>
                  {t('save')}
                </button>
              )}
              {status && <p role="status">{status}</p>}
              {error && <p role="alert">{error}</p>}
            </form>
          )}
        </section>
      </div>
    </div>
  );
}
