import { useEffect, useRef, useState } from 'react';
import type { ServerToClientEvents } from '@ventanilla/hub/realtime-contract';
import type { AuthSession } from '../api/auth-session.js';
import { connectStaffSocket, EventDeduper, type StaffSocket } from '../realtime/staff-socket.js';

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';

/** internal_message.* are handled by the internal-messages panel on the socket itself. */
type PanelEvents = 'internal_message.received' | 'internal_message.read' | 'supervision.whisper' | 'supervision.changed' | 'wallboard.updated';
export type RealtimeHandlers = { [E in Exclude<keyof ServerToClientEvents, PanelEvents>]: ServerToClientEvents[E] } & {
  /** Called on every connect after the first: fetch what may have been missed. */
  resync(): void;
};

/**
 * The staff socket for the workspace's lifetime. Events are deduplicated by eventId (delivery
 * is at least once); handlers are read through a ref so they always see the latest state.
 * A refused handshake (expired token) is retried after a silent refresh.
 */
export function useRealtime(session: AuthSession, handlers: RealtimeHandlers): { connection: ConnectionState; socket: StaffSocket | null } {
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [socket, setSocket] = useState<StaffSocket | null>(null);
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });

  useEffect(() => {
    const s = connectStaffSocket(session.baseUrl, () => session.currentToken());
    const dedupe = new EventDeduper();
    let connectedBefore = false;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const once = <T extends { eventId: string }>(fn: (payload: T) => void) => (payload: T) => {
      if (dedupe.firstTime(payload.eventId)) fn(payload);
    };

    s.on('connect', () => {
      setConnection('online');
      if (connectedBefore) ref.current.resync();
      connectedBefore = true;
    });
    s.on('disconnect', () => setConnection('reconnecting'));
    s.on('connect_error', () => {
      setConnection('reconnecting');
      // A handshake refused by the server is not retried by socket.io: refresh, then connect.
      if (!s.active) {
        if (retry) clearTimeout(retry);
        retry = setTimeout(() => {
          session
            .accessToken()
            .catch(() => undefined)
            .finally(() => s.connect());
        }, 2000);
      }
    });
    s.on('conversation.offered', once((p) => ref.current['conversation.offered'](p)));
    s.on('conversation.routed', once((p) => ref.current['conversation.routed'](p)));
    s.on('agent.state_changed', once((p) => ref.current['agent.state_changed'](p)));
    s.on('conversation.opened', once((p) => ref.current['conversation.opened'](p)));
    s.on('message.created', once((p) => ref.current['message.created'](p)));
    s.on('message.status_changed', once((p) => ref.current['message.status_changed'](p)));
    s.on('contact.merged', once((p) => ref.current['contact.merged'](p)));
    s.on('note.created', once((p) => ref.current['note.created'](p)));
    setSocket(s);
    return () => {
      if (retry) clearTimeout(retry);
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
    };
  }, [session]);

  return { connection, socket };
}
