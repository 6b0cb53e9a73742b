/**
 * A server of the widget benchmark (bench/src/widget.bench.ts), a child process so that its
 * memory is its own. Runs with --expose-gc: memory is read after full collections.
 *
 *   WIDGET_ROLE=hub  the hub configured from the environment like main.ts (startHubProcess):
 *                    HUB_ROLE=api holds the /widget sockets, HUB_ROLE=worker ingests and sends
 *   WIDGET_ROLE=raw  the baseline: a bare socket.io server (the hub's ping settings, no adapter)
 *                    whose /widget namespace has a small auth middleware — the visitor token's
 *                    signature and origin checked in memory, no database — and joins the visitor's
 *                    room; it echoes `bench.echo` for the round-trip baseline
 */
import { loadConfig, startHubProcess, type HubProcess } from '@ventanilla/hub';
import { verifyVisitorToken } from '../../../hub/src/webchat/visitor-token.js';
import { WIDGET_NAMESPACE, widgetRooms } from '../../../hub/src/webchat/widget.contract.js';
import { failChild, serveParent } from '../sockets/ipc.js';
import type { SocketServerApi } from '../sockets/protocol.js';
import { socketServerHandlers, startRawServer, stopSocketServer, type NamespaceCounts, type RawServer } from '../sockets/server-child.js';
import { ECHO_EVENT } from './widget-protocol.js';

/** The raw baseline's /widget namespace: the hub's token and Origin checks without the database. */
function startRaw(secret: string): Promise<RawServer> {
  return startRawServer((io) => {
    const widget = io.of(WIDGET_NAMESPACE);
    widget.use((socket, next) => {
      const token: unknown = socket.handshake.auth['token'];
      verifyVisitorToken(secret, typeof token === 'string' ? token : undefined)
        .then((claims) => {
          if (socket.handshake.headers.origin !== claims.origin) return next(new Error('HUB_ERR_WIDGET_ORIGIN'));
          socket.data = { visitorId: claims.visitorId, channelId: claims.channelId };
          next();
        })
        .catch(() => next(new Error('HUB_ERR_WIDGET_TOKEN_INVALID')));
    });
    widget.on('connection', (socket) => {
      const visitorId: unknown = socket.data.visitorId;
      void socket.join(widgetRooms.visitor(String(visitorId)));
      socket.on(ECHO_EVENT, (payload: unknown) => void socket.emit(ECHO_EVENT, payload));
    });
  });
}

async function main(): Promise<void> {
  const role = process.env['WIDGET_ROLE'] ?? 'hub';
  let hub: HubProcess | null = null;
  let raw: RawServer | null = null;
  // Only the counts are read: the hub's namespace is typed with the staff event maps.
  let widget: NamespaceCounts | null;
  let url: string | null;
  if (role === 'raw') {
    raw = await startRaw(loadConfig(process.env).JWT_SECRET);
    widget = raw.io.of(WIDGET_NAMESPACE);
    url = raw.url;
  } else {
    hub = await startHubProcess(loadConfig(process.env), { migrate: false });
    widget = hub.io?.of(WIDGET_NAMESPACE) ?? null;
    url = hub.url;
  }
  serveParent<SocketServerApi>(socketServerHandlers(widget), { url }, () => stopSocketServer(hub, raw));
}

main().catch((error: unknown) => failChild('widget server', error));
