import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { WallboardAgentView, WallboardAlertView, WallboardQueueView, WallboardSnapshot } from '@ventanilla/hub/realtime-contract';
import { localizedMessage } from '../../api/api-error.js';
import type { Campaign } from '../../api/api-types.js';
import type { AuthSession } from '../../api/auth-session.js';
import { useI18n } from '../../i18n/i18n.js';
import type { StaffSocket } from '../../realtime/staff-socket.js';
import { Icon } from '../../ui/icons.view.js';
import { useNow } from '../../ui/use-now.js';
import { beep } from '../../workspace/beep.js';
import { wallboardApi } from './wallboard-api.js';
import { applySnapshot, elapsedSince, formatDuration, formatKpi } from './wallboard-state.js';
import { WallboardThresholds } from './wallboard-thresholds.view.js';
import { isWallboardKey, wallboardText, type WallboardKey } from './wallboard-text.js';
import './wallboard.css';

const SOUND_KEY = 'ventanilla.wallboard.sound';

function soundPreference(): boolean {
  try {
    return window.localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

/**
 * The supervisor's live wallboard (issue 9 item 4): per queue and per agent, pushed by the hub
 * after every routing or state event (`wallboard.updated`); waits and times in state tick here
 * from the snapshot's instants. Alerts show with icon and text, and chime once when they start.
 */
export function WallboardScreen({ session, socket, campaigns, onClose }: { session: AuthSession; socket: StaffSocket | null; campaigns: Campaign[]; onClose(): void }) {
  const { lang } = useI18n();
  const t = useCallback((key: WallboardKey, values?: Record<string, string | number>) => wallboardText(lang, key, values), [lang]);
  const api = useMemo(() => wallboardApi(session), [session]);
  const titleId = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [campaignId, setCampaignId] = useState(campaigns[0]?.id ?? '');
  const [snapshot, setSnapshot] = useState<WallboardSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sound, setSound] = useState(soundPreference);
  const soundRef = useRef(sound);
  const now = useNow(1000);

  useEffect(() => {
    soundRef.current = sound;
    try {
      window.localStorage.setItem(SOUND_KEY, sound ? 'on' : 'off');
    } catch {
      // Private mode: the choice lasts for this screen only.
    }
  }, [sound]);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const accept = useCallback(
    (next: WallboardSnapshot) => {
      setSnapshot((current) => {
        const update = applySnapshot(current, next, campaignId);
        if (!update) return current;
        if (update.started.length > 0 && soundRef.current) beep('alert');
        return update.snapshot;
      });
    },
    [campaignId],
  );

  useEffect(() => {
    if (!campaignId) return;
    setSnapshot(null);
    setError(null);
    const load = () => api.snapshot(campaignId).then(accept, (e: unknown) => setError(t('loadFailed', { message: localizedMessage(e instanceof Error ? e.message : String(e), lang) })));
    if (!socket) {
      void load();
      return;
    }
    // Watch first, then read: a push that lands meanwhile is newer and wins over the reply.
    const watch = () =>
      socket.emit('wallboard.watch', { campaignId }, (reply) => {
        if (!reply.ok) setError(t('watchFailed', { message: localizedMessage(reply.message, lang) }));
        void load();
      });
    socket.on('wallboard.updated', accept);
    socket.on('connect', watch);
    watch();
    return () => {
      socket.off('wallboard.updated', accept);
      socket.off('connect', watch);
      socket.emit('wallboard.unwatch', { campaignId }, () => undefined);
    };
  }, [api, socket, campaignId, accept, t, lang]);

  const queueName = (queueId: string | null) => (queueId === null ? t('campaignScope') : (snapshot?.queues.find((q) => q.queueId === queueId)?.name ?? ''));
  const alertText = (a: WallboardAlertView) =>
    t('alertText', {
      scope: queueName(a.queueId),
      metric: t(`metric.${a.metric}`),
      value: a.value.toLocaleString(lang),
      direction: t(a.direction),
      threshold: a.threshold.toLocaleString(lang),
      since: new Date(a.since).toLocaleTimeString(lang),
    });

  return (
    <dialog ref={dialogRef} className="wallboard-screen" aria-labelledby={titleId} onCancel={onClose}>
      <header className="wb-header">
        <h1 id={titleId}>{t('title', { campaign: snapshot?.campaignName ?? campaigns.find((c) => c.id === campaignId)?.name ?? '' })}</h1>
        <label className="wb-inline">
          {t('campaign')}
          <select value={campaignId} onChange={(e) => setCampaignId(e.target.value)}>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="wb-inline">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> {t('sound')}
        </label>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
          <Icon name="close" /> {t('close')}
        </button>
      </header>
      <div className="wb-body">
        {error && (
          <p className="wb-error" role="alert">
            {error}
          </p>
        )}
        {!snapshot ? (
          <p className="muted">{t('loading')}</p>
        ) : (
          <>
            <p className="muted small" data-testid="wb-meta">
              {t('today', { date: snapshot.date, zone: snapshot.timeZone })} · {t('updated', { time: new Date(snapshot.generatedAt).toLocaleTimeString(lang) })}
              {snapshot.latencyMs !== null && ` · ${t('latency', { ms: snapshot.latencyMs })}`}
            </p>
            <p className="muted small" data-testid="wb-rules">
              {t('rules', {
                denominator: t(snapshot.serviceLevel.denominator),
                seconds: snapshot.serviceLevel.thresholdSeconds,
                short: snapshot.serviceLevel.shortAbandonSeconds > 0 ? t('shortAbandon', { seconds: snapshot.serviceLevel.shortAbandonSeconds }) : t('noShortAbandon'),
              })}
            </p>
            <section className="wb-alerts" aria-label={t('alerts')} aria-live="polite">
              {snapshot.alerts.length === 0 ? (
                <p className="wb-no-alerts">
                  <Icon name="check" /> {t('noAlerts')}
                </p>
              ) : (
                <ul>
                  {snapshot.alerts.map((a) => (
                    <li key={a.thresholdId} className="wb-alert" data-metric={a.metric}>
                      <Icon name="alert" /> <strong>{t('alerts')}:</strong> {alertText(a)}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <Totals view={snapshot.totals} now={now} lang={lang} t={t} />
            <QueuesTable queues={snapshot.queues} now={now} lang={lang} t={t} />
            <AgentsTable agents={snapshot.agents} now={now} t={t} />
            <WallboardThresholds api={api} campaignId={campaignId} queues={snapshot.queues} lang={lang} />
          </>
        )}
      </div>
    </dialog>
  );
}

type T = (key: WallboardKey, values?: Record<string, string | number>) => string;

function breaksText(view: WallboardQueueView, t: T): string {
  const label = (state: string) => {
    const key = `state.${state}`;
    return isWallboardKey(key) ? t(key) : state;
  };
  const parts = Object.entries(view.agents.breaks).map(([state, n]) => `${label(state)} ${n}`);
  return parts.length === 0 ? t('noBreaks') : parts.join(', ');
}

function Totals({ view, now, lang, t }: { view: WallboardQueueView; now: number; lang: string; t: T }) {
  const cards: [string, string, string][] = [
    ['waiting', t('waiting'), String(view.waiting)],
    ['longest', t('longestWait'), formatDuration(elapsedSince(view.oldestEnqueuedAt, now))],
    ['sl', t('serviceLevel'), formatKpi(view.serviceLevel, lang)],
    ['asa', t('asa'), formatKpi(view.asa, lang)],
    ['abandonment', t('abandonment'), formatKpi(view.abandonment, lang)],
    ['occupancy', t('occupancy'), formatKpi(view.occupancy, lang)],
    ['received', t('receivedToday'), `${view.received} · ${t('attendedToday')} ${view.attended} · ${t('abandonedToday')} ${view.abandoned}`],
    ['agents', t('agents'), `${t('available')} ${view.agents.available} · ${t('busy')} ${view.agents.busy} · ${t('acw')} ${view.agents.afterContactWork} · ${breaksText(view, t)}`],
  ];
  return (
    <section aria-label={t('totals')}>
      <h2>{t('totals')}</h2>
      <dl className="wb-cards">
        {cards.map(([key, label, value]) => (
          <div key={key} className="wb-card" data-testid={`wb-total-${key}`}>
            <dt>{label}</dt>
            <dd title={key === 'sl' ? view.serviceLevel.explanation : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function QueuesTable({ queues, now, lang, t }: { queues: readonly WallboardQueueView[]; now: number; lang: string; t: T }) {
  if (queues.length === 0) return <p className="muted">{t('noQueues')}</p>;
  return (
    <section>
      <h2>{t('queues')}</h2>
      <table className="wb-table">
        <thead>
          <tr>
            {(['queue', 'waiting', 'longestWait', 'serviceLevel', 'asa', 'abandonment', 'occupancy', 'available', 'busy', 'acw', 'breaks'] as const).map((k) => (
              <th key={k} scope="col">
                {t(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.queueId}>
              <th scope="row">{q.name}</th>
              <td>{q.waiting}</td>
              <td>{formatDuration(elapsedSince(q.oldestEnqueuedAt, now))}</td>
              <td title={q.serviceLevel.explanation}>{formatKpi(q.serviceLevel, lang)}</td>
              <td title={q.asa.explanation}>{formatKpi(q.asa, lang)}</td>
              <td title={q.abandonment.explanation}>{formatKpi(q.abandonment, lang)}</td>
              <td>{formatKpi(q.occupancy, lang)}</td>
              <td>{q.agents.available}</td>
              <td>{q.agents.busy}</td>
              <td>{q.agents.afterContactWork}</td>
              <td>{breaksText(q, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function AgentsTable({ agents, now, t }: { agents: readonly WallboardAgentView[]; now: number; t: T }) {
  return (
    <section>
      <h2>{t('agents')}</h2>
      {agents.length === 0 ? (
        <p className="muted">{t('noAgents')}</p>
      ) : (
        <table className="wb-table">
          <thead>
            <tr>
              {(['agent', 'state', 'inState', 'sessions', 'conversations', 'attendedCol', 'occupancy'] as const).map((k) => (
                <th key={k} scope="col">
                  {t(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.agentId} data-testid={`wb-agent-${a.agentId}`}>
                <th scope="row">{a.name}</th>
                <td className={`wb-state wb-state-${a.state}`}>
                  {t(`state.${a.state}`)}
                  {a.reason ? ` (${a.reason})` : ''}
                </td>
                <td>{formatDuration(elapsedSince(a.stateSince, now))}</td>
                <td>
                  {a.load.text + a.load.voice + a.load.email} / {a.capacity.text}
                </td>
                <td>{a.conversations.length === 0 ? t('none') : a.conversations.map((c) => `${c.folio} (${c.channelKind})`).join(', ')}</td>
                <td>{a.attendedToday ?? t('none')}</td>
                <td>{a.occupancy?.value == null ? t('none') : `${a.occupancy.value.toFixed(1)} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
