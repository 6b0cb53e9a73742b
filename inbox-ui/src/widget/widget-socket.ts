import { io, type Socket } from 'socket.io-client';
import { WIDGET_NAMESPACE, type WidgetClientToServerEvents, type WidgetServerToClientEvents } from '@ventanilla/hub/widget-contract';

export type WidgetSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

/**
 * The visitor's live connection (widget.contract.ts): the namespace goes in the URL, so a hub
 * behind a path prefix needs socket.io's `path` moved under that prefix. WebSocket only: no
 * long-polling cookies on a third-party page, and no CORS preflight per poll.
 */
export function connectWidgetSocket(baseUrl: string, token: string): WidgetSocket {
  const base = new URL(`${baseUrl}/`);
  return io(`${base.origin}${WIDGET_NAMESPACE}`, {
    path: `${base.pathname}socket.io`,
    auth: { token },
    transports: ['websocket'],
    withCredentials: false,
  });
}
