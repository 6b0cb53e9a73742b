import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { localizedMessage } from '../api/api-error.js';
import type { SessionUser } from '../api/api-types.js';
import type { AuthSession } from '../api/auth-session.js';
import type { HubApi } from '../api/hub-api.js';
import { useI18n } from '../i18n/i18n.js';
import { loadAlertSettings, saveAlertSettings, type AlertSettings } from '../workspace/session-alerts.js';
import { useWorkspace } from '../workspace/use-workspace.js';
import { AlertSettingsDialog } from './alert-settings.dialog.js';
import { SecurityDialog } from './security.dialog.js';
import type { InsertRequest } from './composer.view.js';
import { ContactPanel } from './contact.panel.js';
import { CallPanel } from '../inbox/call/call.panel.js';
import { currentVoiceFolio } from '../inbox/softphone/softphone-context.js';
import { Softphone } from '../inbox/softphone/softphone.view.js';
import { InternalMessagesPanel } from '../inbox/internal-messages/internal-messages.view.js';
import { LiveSessionsPanel } from '../inbox/supervision/live-sessions.view.js';
import { SupervisionBar } from '../inbox/supervision/supervision-bar.view.js';
import { SupervisionNotices } from '../inbox/supervision/supervision-notices.view.js';
import { useSupervision } from '../inbox/supervision/use-supervision.js';
import { ConversationList } from './conversation-list.view.js';
import { Icon } from './icons.view.js';
import { KnowledgePanel } from './knowledge.panel.js';
import { OfferCard } from './offer-card.view.js';
import { SessionTabs } from './session-tabs.view.js';
import { StatusSelector } from './status-selector.view.js';
import { Tabs } from './tabs.view.js';
import { Thread } from './thread.view.js';
import { TopBar } from './top-bar.view.js';
import { AdminConsole } from '../admin/admin-console.view.js';
import { WallboardScreen } from '../supervisor/wallboard/wallboard.view.js';
import { QualityScreen } from '../quality/quality.screen.js';
import { AppointmentsScreen } from '../appointments/appointments.screen.js';
import { TransferDialog } from './transfer.dialog.js';
import { WrapUpDialog } from './wrap-up.dialog.js';

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The agent workspace: status and sessions on the left, the thread in the centre, contact and knowledge on the right. */
export function WorkspaceScreen({ api, session, user }: { api: HubApi; session: AuthSession; user: SessionUser }) {
  const { t, lang } = useI18n();
  const ws = useWorkspace(api, session, user);
  const [settings, setSettings] = useState<AlertSettings>(() => loadAlertSettings(localStore()));
  const [dialog, setDialog] = useState<'transfer' | 'wrapup' | 'settings' | 'security' | null>(null);
  const [insert, setInsert] = useState<InsertRequest | null>(null);
  /** Unsent text per conversation, so switching sessions loses nothing. */
  const drafts = useRef(new Map<string, string>());
  const activeId = ws.state.activeId;
  const saveDraft = useCallback((text: string) => {
    if (activeId) drafts.current.set(activeId, text);
  }, [activeId]);
  const [panel, setPanel] = useState<'contact' | 'kb'>('contact');
  const [acwMax, setAcwMax] = useState<number | null>(null);
  const [adminOpen, setAdminOpen] = useState(false);
  const [wallboardOpen, setWallboardOpen] = useState(false);
  const [qualityOpen, setQualityOpen] = useState(false);
  const [appointmentsOpen, setAppointmentsOpen] = useState(false);
  const [agentNames, setAgentNames] = useState<Record<string, string>>({});
  const isAgent = user.roles.includes('agent');
  const canSeeAll = user.roles.includes('admin') || user.roles.includes('supervisor');
  const { soundEnabled } = ws;
  useEffect(() => {
    soundEnabled.current = settings.sound;
  }, [settings.sound, soundEnabled]);

  // Names for the timeline and ACW length: readable by supervisors; agents fall back gracefully.
  useEffect(() => {
    for (const campaignId of user.campaignIds) {
      api
        .colleagues(campaignId)
        .then(({ items }) => setAgentNames((names) => ({ ...names, ...Object.fromEntries(items.map((a) => [a.agentId, a.displayName])) })))
        .catch(() => undefined);
    }
    const first = user.campaignIds[0];
    if (first) api.routing(first).then((r) => setAcwMax(r.routing.afterContactWorkMaxSeconds ?? null), () => setAcwMax(null));
  }, [api, user.campaignIds]);

  const { state } = ws;
  const supervision = useSupervision(session, ws.socket, state.activeId, user.id);
  const active = state.activeId ? state.conversations[state.activeId] : undefined;
  const campaign = ws.campaigns.find((c) => c.id === active?.campaignId);
  const nameOf = useCallback(
    (userId: string | null | undefined) => {
      if (!userId) return t('event.someone');
      if (userId === user.id) return t('event.you');
      const fromList = Object.values(state.conversations).find((c) => c.assigneeId === userId && c.assigneeName)?.assigneeName;
      return agentNames[userId] ?? fromList ?? supervision.names[userId] ?? t('event.someone');
    },
    [t, user.id, agentNames, state.conversations, supervision.names],
  );
  const capacity = ws.seat?.capacity.text ?? 4;
  const offers = useMemo(() => state.offers, [state.offers]);

  // Alt+1…4 opens a session; the tab title counts unread messages while the agent looks elsewhere.
  const { sessions, open } = ws;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const n = Number(event.key);
      const target = Number.isInteger(n) && n >= 1 ? sessions[n - 1] : undefined;
      if (!target) return;
      event.preventDefault();
      open(target.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sessions, open]);
  const unreadTotal = Object.values(state.unread).reduce((a, b) => a + b, 0) + state.offers.length;
  useEffect(() => {
    document.title = `${unreadTotal > 0 ? `(${unreadTotal}) ` : ''}${t('app.name')} · ${t('app.tagline')}`;
  }, [unreadTotal, t]);

  async function logout() {
    if (isAgent) await api.setState('offline').catch(() => undefined);
    await session.logout();
  }

  if (qualityOpen) return <QualityScreen session={session} user={user} onClose={() => setQualityOpen(false)} />;
  if (appointmentsOpen) return <AppointmentsScreen session={session} user={user} onClose={() => setAppointmentsOpen(false)} />;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('a11y.skip')}
      </a>
      <TopBar
        user={user}
        connection={ws.connection}
        campaigns={ws.campaigns}
        onSettings={() => setDialog('settings')}
        onSecurity={() => setDialog('security')}
        onAdmin={canSeeAll || user.roles.includes('trainer') || user.roles.includes('auditor') ? () => setAdminOpen(true) : undefined}
        onWallboard={canSeeAll ? () => setWallboardOpen(true) : undefined}
        onQuality={canSeeAll || user.roles.includes('auditor') || user.roles.includes('quality_analyst') ? () => setQualityOpen(true) : undefined}
        onAppointments={canSeeAll || isAgent ? () => setAppointmentsOpen(true) : undefined}
        onLogout={() => void logout()}
      />
      {adminOpen && <AdminConsole session={session} onClose={() => setAdminOpen(false)} />}
      {wallboardOpen && <WallboardScreen session={session} socket={ws.socket} campaigns={ws.campaigns} onClose={() => setWallboardOpen(false)} />}
      <div className="workspace">
        <aside className="rail" aria-label={t('rail.label')}>
          {isAgent ? (
            <StatusSelector seat={ws.seat} notice={ws.stateNotice} acwMaxSeconds={acwMax} onChange={(s) => void ws.setAgentState(s)} onDismissNotice={ws.dismissStateNotice} />
          ) : null}
          {isAgent && <Softphone session={session} folio={currentVoiceFolio(state.conversations, user.id, state.activeId)} />}
          {isAgent && <SupervisionNotices supervision={supervision} />}
          {canSeeAll && <LiveSessionsPanel api={supervision.api} version={ws.generation} activeId={state.activeId} onOpen={ws.open} />}
          {(isAgent || canSeeAll) && <InternalMessagesPanel session={session} socket={ws.socket} me={user.id} canBroadcast={canSeeAll} />}
          <SessionTabs sessions={ws.sessions} capacity={capacity} activeId={state.activeId} unread={state.unread} settings={settings} onOpen={ws.open} />
          <ConversationList api={api} me={user.id} canSeeAll={canSeeAll} conversations={state.conversations} activeId={state.activeId} generation={ws.generation} onLoaded={ws.dispatchLoaded} onOpen={ws.open} />
        </aside>

        <main id="main" className="centre" tabIndex={-1}>
          {offers.length > 0 && (
            <div className="offers" role="region" aria-label={t('offer.region')}>
              {offers.map((offer) => (
                <OfferCard key={offer.offerId} api={api} offer={offer} queue={ws.queues[offer.queueId]} onAccept={() => ws.accept(offer)} onReject={(reason) => ws.reject(offer, reason)} onExpire={() => ws.expire(offer)} />
              ))}
            </div>
          )}
          {active ? (
            <Thread
              api={api}
              me={user.id}
              agentName={user.displayName}
              campaignName={campaign?.name ?? ''}
              conversation={active}
              timeline={state.timelines[active.id]}
              queues={ws.queues}
              nameOf={nameOf}
              insert={insert}
              draft={drafts.current.get(active.id) ?? ''}
              onDraft={saveDraft}
              onSend={(text, fileIds) => ws.send(active.id, text, fileIds)}
              onNote={(text) => ws.addNote(active.id, text)}
              onTransfer={() => setDialog('transfer')}
              onResolve={() => setDialog('wrapup')}
              contactTyping={ws.contactTyping[active.id] ?? false}
              supervisionBar={<SupervisionBar conversation={active} me={user.id} canSupervise={canSeeAll} supervision={supervision} agentName={nameOf(active.assigneeId)} />}
              whispers={supervision.state?.conversationId === active.id ? supervision.state.whispers : undefined}
              onTyping={(typing) => ws.socket?.emit('conversation.typing', { conversationId: active.id, typing })}
            />
          ) : (
            <div className="thread-empty">
              <Icon name="chat" size={40} />
              <h1>{t('thread.emptyTitle')}</h1>
              <p className="muted">{t('thread.empty')}</p>
            </div>
          )}
        </main>

        <aside className="side" aria-label={t('panel.label')}>
          {active ? (
            <Tabs<'contact' | 'kb'>
              label={t('panel.label')}
              selected={panel}
              onSelect={setPanel}
              tabs={[
                {
                  id: 'contact',
                  label: t('panel.contact'),
                  icon: 'user',
                  content: (
                    <>
                      {active.channelKind === 'voice' && <CallPanel api={api} session={session} me={user.id} conversation={active} campaigns={ws.campaigns} queues={ws.queues} version={ws.generation} />}
                      <ContactPanel api={api} contactId={active.contactId} conversationId={active.id} channelKind={active.channelKind} canMerge={canSeeAll} version={ws.generation} onOpen={ws.open} />
                    </>
                  ),
                },
                {
                  id: 'kb',
                  label: t('panel.kb'),
                  icon: 'book',
                  content: (
                    <KnowledgePanel
                      api={api}
                      campaignId={active.campaignId}
                      onInsert={(text) => {
                        setInsert((prev) => ({ conversationId: active.id, text, seq: (prev?.seq ?? 0) + 1 }));
                        ws.toast({ tone: 'info', key: 'kb.inserted' });
                      }}
                    />
                  ),
                },
              ]}
            />
          ) : (
            <div className="side-empty">
              <Icon name="user" size={22} />
              <p className="small">{t('panel.empty')}</p>
            </div>
          )}
        </aside>
      </div>

      <div className="sr-only" aria-live="assertive" aria-atomic="true">
        {ws.offerAnnouncement ? t(ws.offerAnnouncement.key, ws.offerAnnouncement.values) : ''}
      </div>
      <div className="sr-only" aria-live="polite" aria-atomic="true">
        {ws.politeAnnouncement}
      </div>
      <div className="toasts" role="status" aria-live="polite">
        {ws.toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            <span>{toast.key ? t(toast.key, toast.values) : localizedMessage(toast.text ?? '', lang)}</span>
            <button type="button" className="btn btn-icon" aria-label={t('common.dismiss')} onClick={() => ws.dismissToast(toast.id)}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
      </div>

      {dialog === 'transfer' && active && (
        <TransferDialog api={api} me={user.id} conversation={active} campaigns={ws.campaigns} queues={ws.queues} onTransfer={(target, reason) => ws.transfer(active.id, target, reason)} onClose={() => setDialog(null)} />
      )}
      {dialog === 'wrapup' && active && <WrapUpDialog api={api} conversation={active} onResolve={(input) => ws.resolve(active.id, input)} onClose={() => setDialog(null)} />}
      {dialog === 'settings' && (
        <AlertSettingsDialog
          settings={settings}
          onSave={(next) => {
            saveAlertSettings(localStore(), next);
            setSettings(next);
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'security' && <SecurityDialog session={session} onClose={() => setDialog(null)} />}
    </div>
  );
}
