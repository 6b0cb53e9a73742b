/**
 * A fleet of web chat visitors for the widget benchmark (bench/src/widget.bench.ts): a child
 * process holding a share of the /widget sockets, as the widget opens them (visitor token in
 * `auth`, the page's Origin header, websocket transport), one connection each (forceNew: the
 * client would otherwise multiplex every socket of a URL over one), idle once connected.
 */
import { WIDGET_NAMESPACE } from '../../../hub/src/webchat/widget.contract.js';
import { SocketFleet } from '../sockets/socket-fleet.js';
import type { FleetConnectRequest, VisitorEntry, WidgetFleetApi } from './widget-protocol.js';

const fleet = new SocketFleet((request: FleetConnectRequest, entry: VisitorEntry) => ({
  url: `${request.url}${WIDGET_NAMESPACE}`,
  auth: { token: entry.token },
  extraHeaders: { origin: request.origin },
}));

fleet.serve<WidgetFleetApi>('widget fleet', fleet.handlers());
