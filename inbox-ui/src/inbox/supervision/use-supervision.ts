import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SupervisionChangedPayload, SupervisionWhisperPayload } from '@ventanilla/hub/realtime-contract';
import type { AuthSession } from '../../api/auth-session.js';
import { EventDeduper, type StaffSocket } from '../../realtime/staff-socket.js';
import { supervisionApi, type SupervisionApi, type SupervisionStateView } from './supervision-api.js';

export interface TakeoverNotice {
  id: string;
  supervisorName: string;
  folio: string;
  reason: string;
}

export interface SupervisionHandle {
  api: SupervisionApi;
  state: SupervisionStateView | null;
  /** Display names of supervisors learnt from whispers and events (for the timeline's labels). */
  names: Record<string, string>;
  notices: TakeoverNotice[];
  dismiss(id: string): void;
  refresh(): void;
}

/**
 * The active conversation's supervision (monitors, whispers) kept live from the staff socket's
 * user room, and the takeover notices addressed to this user (whatever conversation is open).
 */
export function useSupervision(session: AuthSession, socket: StaffSocket | null, conversationId: string | null, me: string): SupervisionHandle {
  const api = useMemo(() => supervisionApi(session), [session]);
  const [state, setState] = useState<SupervisionStateView | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [notices, setNotices] = useState<TakeoverNotice[]>([]);
  const current = useRef(conversationId);
  current.current = conversationId;

  const learn = useCallback((id: string, name: string) => setNames((n) => (n[id] === name ? n : { ...n, [id]: name })), []);
  const refresh = useCallback(() => {
    const id = current.current;
    if (!id) return setState(null);
    api.state(id).then(
      (s) => {
        if (current.current !== id) return;
        setState(s);
        for (const m of s.monitors) learn(m.supervisorId, m.supervisorName);
        for (const w of s.whispers) learn(w.supervisorId, w.supervisorName);
      },
      () => setState(null),
    );
  }, [api, learn]);
  useEffect(() => {
    setState(null);
    refresh();
  }, [conversationId, refresh]);

  useEffect(() => {
    if (!socket) return;
    const dedupe = new EventDeduper();
    const onWhisper = (p: SupervisionWhisperPayload) => {
      if (!dedupe.firstTime(p.eventId)) return;
      learn(p.whisper.supervisorId, p.whisper.supervisorName);
      if (p.conversationId !== current.current) return;
      setState((s) => (s && !s.whispers.some((w) => w.id === p.whisper.id) ? { ...s, whispers: [...s.whispers, p.whisper] } : s));
    };
    const onChanged = (p: SupervisionChangedPayload) => {
      if (!dedupe.firstTime(p.eventId)) return;
      learn(p.supervisorId, p.supervisorName);
      if (p.change === 'taken_over' && p.agentId === me && p.supervisorId !== me) {
        setNotices((n) => [...n, { id: p.eventId, supervisorName: p.supervisorName, folio: p.folio, reason: p.reason ?? '' }]);
      }
      if (p.conversationId === current.current) refresh();
    };
    socket.on('supervision.whisper', onWhisper);
    socket.on('supervision.changed', onChanged);
    socket.on('connect', refresh);
    return () => {
      socket.off('supervision.whisper', onWhisper);
      socket.off('supervision.changed', onChanged);
      socket.off('connect', refresh);
    };
  }, [socket, me, refresh, learn]);

  const dismiss = useCallback((id: string) => setNotices((n) => n.filter((x) => x.id !== id)), []);
  return { api, state, names, notices, dismiss, refresh };
}
