import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type RefObject } from 'react';
import type { ConversationListItem, ConversationOfferedPayload, TimelineItem } from '@ventanilla/hub/realtime-contract';
import { ApiError } from '../api/api-error.js';
import type { Campaign, ConversationDetail, QueueView, Seat, SessionUser, TransferTarget } from '../api/api-types.js';
import type { AuthSession } from '../api/auth-session.js';
import type { HubApi } from '../api/hub-api.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';
import { beep } from './beep.js';
import { useRealtime, type ConnectionState } from './use-realtime.js';
import { initialWorkspace, mySessions, toListItem, workspaceReducer, type OfferView, type WorkspaceState } from './workspace-state.js';

export interface Toast {
  id: number;
  tone: 'info' | 'warn' | 'error';
  key?: MessageKey;
  values?: Record<string, string | number>;
  text?: string;
}

export type StateNotice = 'rona' | 'inactivity' | null;

export interface Workspace {
  state: WorkspaceState;
  seat: Seat | null;
  connection: ConnectionState;
  stateNotice: StateNotice;
  campaigns: Campaign[];
  queues: Record<string, QueueView>;
  toasts: Toast[];
  /** Polite live-region text (new messages) and assertive (offers). */
  politeAnnouncement: string;
  offerAnnouncement: { key: MessageKey; values: Record<string, string | number> } | null;
  sessions: ReturnType<typeof mySessions>;
  /** Bumped after a reconnect (and a contact merge): views refetch what they show. */
  generation: number;
  dispatchLoaded(items: ConversationListItem[]): void;
  open(conversationId: string | null): void;
  accept(offer: OfferView): Promise<void>;
  reject(offer: OfferView, reason: string): Promise<void>;
  expire(offer: OfferView): void;
  setAgentState(state: string): Promise<void>;
  send(conversationId: string, text: string, fileIds: string[]): Promise<void>;
  addNote(conversationId: string, text: string): Promise<void>;
  transfer(conversationId: string, target: TransferTarget, reason: string): Promise<void>;
  resolve(conversationId: string, input: { dispositionCodeIds: string[]; summary: string }): Promise<void>;
  toast(toast: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
  dismissStateNotice(): void;
  soundEnabled: RefObject<boolean>;
  /** Conversation id → the citizen is typing (web chat). */
  contactTyping: Record<string, boolean>;
  /** The staff socket (null until connected): the composer sends typing signals on it. */
  socket: ReturnType<typeof useRealtime>['socket'];
}

function detailToTimeline(detail: ConversationDetail): TimelineItem[] {
  return [
    ...detail.messages.map((message) => ({ kind: 'message' as const, at: message.createdAt, message })),
    ...detail.events.filter((e) => e.messageId === null).map((e) => ({ kind: 'event' as const, at: e.occurredAt, event: { id: e.id, type: e.type, actorType: e.actorType, actorId: e.actorId, payload: e.payload } })),
  ];
}

const HEARTBEAT_MS = 60_000;

function newSeat(agentId: string): Seat {
  const now = new Date().toISOString();
  return { agentId, state: 'offline', stateSince: now, stateReason: null, seatType: 'PS-I', lastActivityAt: now, load: { text: 0, voice: 0, email: 0 }, capacity: { text: 4, voice: 1, email: 10 }, capacityOverride: {}, acwEndsAt: null };
}

export function useWorkspace(api: HubApi, session: AuthSession, user: SessionUser): Workspace {
  const [state, dispatch] = useReducer(workspaceReducer, user.id, initialWorkspace);
  const [seat, setSeat] = useState<Seat | null>(null);
  const [stateNotice, setStateNotice] = useState<StateNotice>(null);
  const [campaigns, setCampaigns] = useState<Campaign[]>([]);
  const [queues, setQueues] = useState<Record<string, QueueView>>({});
  /** Conversations whose citizen is typing in the web chat widget (cleared after 6 s of silence). */
  const [contactTyping, setContactTyping] = useState<Record<string, boolean>>({});
  const typingTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [politeAnnouncement, setPolite] = useState('');
  const [offerAnnouncement, setOfferAnnouncement] = useState<Workspace['offerAnnouncement']>(null);
  const [generation, setGeneration] = useState(0);
  const stateRef = useRef(state);
  const soundEnabled = useRef(true);
  const toastId = useRef(0);
  const isAgent = user.roles.includes('agent');
  useEffect(() => {
    stateRef.current = state;
  });

  const toast = useCallback((t: Omit<Toast, 'id'>) => {
    toastId.current += 1;
    const id = toastId.current;
    setToasts((list) => [...list.slice(-3), { ...t, id }]);
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), t.tone === 'error' ? 9000 : 5000);
  }, []);
  const dismissToast = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  const failed = useCallback((error: unknown) => toast({ tone: 'error', ...(error instanceof ApiError ? { text: error.message } : { key: 'common.networkError' }) }), [toast]);

  const refreshSeat = useCallback(async () => {
    if (!isAgent) return;
    try {
      setSeat(await api.seat());
    } catch (error) {
      // An agent who never logged in has no seat until the first state change: show them offline.
      if (error instanceof ApiError && error.code === 'HUB_ERR_AGENT_NOT_AGENT') setSeat((s) => s ?? newSeat(user.id));
    }
  }, [api, isAgent, user.id]);

  const loadTimeline = useCallback(
    async (id: string) => {
      try {
        const { items } = await api.timeline(id);
        dispatch({ type: 'timeline.loaded', conversationId: id, items });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'HUB_ERR_NOT_FOUND')) throw error;
        // Hub without the timeline route: messages and events from the detail.
        const detail = await api.conversation(id);
        dispatch({ type: 'timeline.loaded', conversationId: id, items: detailToTimeline(detail) });
      }
    },
    [api],
  );

  const loadConversation = useCallback(
    async (id: string) => {
      const detail = await api.conversation(id);
      dispatch({ type: 'conversations.loaded', items: [toListItem(detail.conversation, stateRef.current.conversations[id])] });
      await loadTimeline(id);
    },
    [api, loadTimeline],
  );

  const loadMine = useCallback(async () => {
    const page = await api.conversations({ filter: 'mine', limit: 50 });
    dispatch({ type: 'conversations.loaded', items: page.items });
    await Promise.all(page.items.map((c) => loadTimeline(c.id).catch(() => undefined)));
  }, [api, loadTimeline]);

  const resync = useCallback(() => {
    setGeneration((g) => g + 1);
    void refreshSeat();
    void loadMine().catch(() => undefined);
    const active = stateRef.current.activeId;
    if (active) void loadConversation(active).catch(() => undefined);
  }, [refreshSeat, loadMine, loadConversation]);

  const onOffer = useCallback(
    (p: ConversationOfferedPayload) => {
      if (p.agentId !== user.id) {
        // Someone else's offer (campaign room): only the list's status changes.
        dispatch({ type: 'offer.received', offer: p, at: Date.now() });
        return;
      }
      if (p.autoAccepted) {
        toast({ tone: 'info', key: 'offer.autoAccepted', values: { folio: p.folio } });
        void loadConversation(p.conversationId).catch(() => undefined);
        void refreshSeat();
        return;
      }
      dispatch({ type: 'offer.received', offer: p, at: Date.now() });
      const seconds = Math.max(0, Math.round((Date.parse(p.expiresAt) - Date.now()) / 1000));
      setOfferAnnouncement({ key: 'offer.announce', values: { folio: p.folio, seconds } });
      if (soundEnabled.current) beep('offer');
    },
    [user.id, toast, loadConversation, refreshSeat],
  );

  const { connection, socket } = useRealtime(session, {
    resync,
    'contact.typing': (p) => {
      const timers = typingTimers.current;
      clearTimeout(timers.get(p.conversationId));
      setContactTyping((t) => ({ ...t, [p.conversationId]: p.typing }));
      if (p.typing) timers.set(p.conversationId, setTimeout(() => setContactTyping((t) => ({ ...t, [p.conversationId]: false })), 6000));
    },
    'conversation.offered': onOffer,
    'conversation.routed': (p) => {
      const mine = stateRef.current.offers.find((o) => o.conversationId === p.conversationId);
      if (mine && p.change === 'rona') toast({ tone: 'warn', key: 'offer.expired', values: { folio: p.folio } });
      else if (mine && p.change === 'abandoned') toast({ tone: 'info', key: 'offer.withdrawn', values: { folio: p.folio } });
      const before = stateRef.current.conversations[p.conversationId];
      dispatch({ type: 'conversation.routed', payload: p });
      if (p.assigneeId === user.id && !before) void loadConversation(p.conversationId).catch(() => undefined);
      if (p.assigneeId === user.id || before?.assigneeId === user.id) void refreshSeat();
    },
    'agent.state_changed': (p) => {
      if (p.agentId !== user.id) return;
      if (p.to === 'not_ready' && p.reason === 'rona') setStateNotice('rona');
      else if (p.to === 'offline' && p.reason === 'inactivity') setStateNotice('inactivity');
      else if (p.to === 'available') setStateNotice(null);
      setSeat((s) => (s ? { ...s, state: p.to, stateReason: p.reason, stateSince: p.at } : s));
      void refreshSeat();
    },
    'conversation.opened': (p) => dispatch({ type: 'conversation.opened', conversation: p.conversation }),
    'message.created': (p) => {
      dispatch({ type: 'message.created', conversationId: p.conversationId, message: p.message });
      const c = stateRef.current.conversations[p.conversationId];
      if (p.message.direction === 'inbound' && c?.assigneeId === user.id) setPolite(`${c.contactName ?? p.folio}: ${p.message.text ?? ''}`.slice(0, 200));
    },
    'message.status_changed': (p) => dispatch({ type: 'message.status', payload: p }),
    'contact.merged': (p) => {
      dispatch({ type: 'contact.merged', payload: p });
      setGeneration((g) => g + 1);
    },
    'note.created': (p) => dispatch({ type: 'note.created', note: p.note }),
  });

  // Join the open conversation's room (and again after a reconnect: rooms die with the socket).
  useEffect(() => {
    const id = state.activeId;
    if (!socket || !id || connection !== 'online') return;
    socket.emit('conversation.watch', { conversationId: id }, () => undefined);
    return () => {
      socket.emit('conversation.unwatch', { conversationId: id }, () => undefined);
    };
  }, [socket, state.activeId, connection]);

  useEffect(() => {
    void refreshSeat();
    void loadMine().catch(failed);
    api
      .campaigns()
      .then(async ({ items }) => {
        setCampaigns(items);
        const lists = await Promise.all(items.map((c) => api.queues(c.id).catch(() => ({ items: [] as QueueView[] }))));
        setQueues(Object.fromEntries(lists.flatMap((l) => l.items).map((q) => [q.id, q])));
      })
      .catch(() => undefined);
  }, [api, refreshSeat, loadMine, failed]);

  // Activity for the hub's auto-logout (10 min without it): once a minute while the tab is open.
  useEffect(() => {
    if (!isAgent) return;
    const timer = setInterval(() => void api.heartbeat().catch(() => undefined), HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [api, isAgent]);

  const open = useCallback(
    (id: string | null) => {
      dispatch({ type: 'activate', conversationId: id });
      if (id && !stateRef.current.timelines[id]) void loadConversation(id).catch(failed);
    },
    [loadConversation, failed],
  );

  const nextSession = useCallback((closedId: string) => {
    const rest = mySessions(stateRef.current).filter((c) => c.id !== closedId);
    dispatch({ type: 'activate', conversationId: rest[0]?.id ?? null });
  }, []);

  const accept = useCallback(
    async (offer: OfferView) => {
      try {
        await api.acceptOffer(offer.offerId);
        dispatch({ type: 'offer.removed', offerId: offer.offerId });
        await loadConversation(offer.conversationId);
        dispatch({ type: 'activate', conversationId: offer.conversationId });
        void refreshSeat();
      } catch (error) {
        if (error instanceof ApiError && (error.code === 'HUB_ERR_OFFER_EXPIRED' || error.code === 'HUB_ERR_OFFER_NOT_FOUND')) {
          dispatch({ type: 'offer.removed', offerId: offer.offerId });
          toast({ tone: 'warn', key: 'offer.withdrawn', values: { folio: offer.folio } });
        } else failed(error);
      }
    },
    [api, loadConversation, refreshSeat, toast, failed],
  );

  const reject = useCallback(
    async (offer: OfferView, reason: string) => {
      try {
        await api.rejectOffer(offer.offerId, reason);
      } catch (error) {
        if (!(error instanceof ApiError && (error.code === 'HUB_ERR_OFFER_EXPIRED' || error.code === 'HUB_ERR_OFFER_NOT_FOUND'))) {
          failed(error);
          return;
        }
      }
      dispatch({ type: 'offer.removed', offerId: offer.offerId });
      void refreshSeat();
    },
    [api, refreshSeat, failed],
  );

  const expire = useCallback((offer: OfferView) => dispatch({ type: 'offer.removed', offerId: offer.offerId }), []);

  const setAgentState = useCallback(
    async (next: string) => {
      try {
        setSeat(await api.setState(next));
        if (next === 'available') setStateNotice(null);
      } catch (error) {
        failed(error);
      }
    },
    [api, failed],
  );

  const send = useCallback(
    async (id: string, text: string, fileIds: string[]) => {
      const { message } = await api.sendMessage(id, text, fileIds);
      dispatch({ type: 'message.created', conversationId: id, message });
    },
    [api],
  );

  const addNote = useCallback(
    async (id: string, text: string) => {
      const { note } = await api.addNote(id, text);
      dispatch({ type: 'note.created', note });
    },
    [api],
  );

  const transfer = useCallback(
    async (id: string, target: TransferTarget, reason: string) => {
      await api.transfer(id, target, reason);
      const c = stateRef.current.conversations[id];
      toast({ tone: 'info', key: 'transfer.done', values: { folio: c?.folio ?? '' } });
      nextSession(id);
      void loadConversation(id).catch(() => undefined);
      void refreshSeat();
    },
    [api, toast, nextSession, loadConversation, refreshSeat],
  );

  const resolve = useCallback(
    async (id: string, input: { dispositionCodeIds: string[]; summary: string }) => {
      await api.resolve(id, input);
      const c = stateRef.current.conversations[id];
      toast({ tone: 'info', key: 'wrapup.done', values: { folio: c?.folio ?? '' } });
      nextSession(id);
      void loadConversation(id).catch(() => undefined);
      void refreshSeat();
    },
    [api, toast, nextSession, loadConversation, refreshSeat],
  );

  const sessions = useMemo(() => mySessions(state), [state]);
  const dispatchLoaded = useCallback((items: ConversationListItem[]) => dispatch({ type: 'conversations.loaded', items }), []);

  return {
    state,
    seat,
    connection,
    stateNotice,
    campaigns,
    queues,
    toasts,
    politeAnnouncement,
    offerAnnouncement,
    sessions,
    generation,
    dispatchLoaded,
    open,
    accept,
    reject,
    expire,
    setAgentState,
    send,
    addNote,
    transfer,
    resolve,
    toast,
    dismissToast,
    dismissStateNotice: () => setStateNotice(null),
    soundEnabled,
    contactTyping,
    socket,
  };
}
