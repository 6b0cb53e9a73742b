import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { STAFF_NAMESPACE, type ClientToServerEvents, type Database, type ServerToClientEvents } from '@ventanilla/hub';
import { WIDGET_NAMESPACE, type WidgetClientToServerEvents, type WidgetServerToClientEvents } from '../../../hub/src/webchat/widget.contract.js';
import { summarize, type LatencySummary } from '../ingest/stats.js';
import type { StaffAgent } from '../sockets/staff-fixtures.js';
import { runLanes } from './run-lanes.js';
import { Waiters } from './waiters.js';

type WidgetClient = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;
type StaffClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const sessionCreatedSchema = z.object({ visitorId: z.string(), visitorToken: z.string() });
const replyCreatedSchema = z.object({ message: z.object({ id: z.string() }) });

export interface RoundTripVisitor {
  visitorId: string;
  token: string;
  socket: WidgetClient;
}

export interface PrechatResult {
  created: number;
  failed: number;
  errors: Record<string, number>;
  /** POST /widget/v1/channels/:id/sessions → 201. */
  prechatMs: LatencySummary;
  /** io('/widget') → connect, for these visitors (one at a time per lane). */
  connectMs: LatencySummary;
}

export interface RoundTripPhase {
  name: string;
  /** Round trips in flight at once (1 = one after the other). */
  concurrency: number;
  attempted: number;
  completed: number;
  errors: Record<string, number>;
  wallMs: number;
  /** (a) visitor POST /widget/v1/messages → 202. */
  ackMs: LatencySummary;
  /** (b) visitor POST → `message.created` of that message on the agent's /staff socket (enqueued, ingested, stored, published). */
  storedMs: LatencySummary;
  /** Agent POST /api/v1/conversations/:id/messages → 202. */
  replyAckMs: LatencySummary;
  /** (c) agent POST → `message.created` of the reply on the visitor's /widget socket (outbound worker → webchat adapter → Redis → socket). */
  deliveredMs: LatencySummary;
  /** (b) + (c) of one sample: the citizen's question on the agent's screen and the answer back, without the agent's thinking. */
  totalMs: LatencySummary;
}

export interface RoundTripTarget {
  url: string;
  channelId: string;
  origin: string;
  agent: StaffAgent;
  /** For the assignment (the round trip does not wait for a router that has no available agent). */
  db: Kysely<Database>;
  timeoutMs: number;
}

/**
 * A citizen's message and the agent's answer through the real hub (HUB_ROLE=api) and worker
 * (HUB_ROLE=worker), timed in this process: the widget's REST call and socket, the agent's REST
 * call and /staff socket, exactly as the widget and the inbox use them. Each sample is a new
 * visitor (pre-chat form over HTTP), so each first message opens a conversation.
 */
export class HubRoundTrips {
  private readonly stored = new Waiters();
  private readonly delivered = new Waiters();
  private readonly conversationOf = new Map<string, string>();
  private readonly sockets: { disconnect(): unknown }[] = [];
  private readonly runTag = randomUUID().slice(0, 8);

  private constructor(
    private readonly target: RoundTripTarget,
    private readonly staff: StaffClient,
  ) {
    staff.on('message.created', (payload) => {
      const at = performance.now();
      const text = payload.message.text;
      if (payload.message.direction !== 'inbound' || text === null) return;
      this.conversationOf.set(text, payload.conversationId);
      this.stored.settle(text, at);
    });
  }

  /** Connects the agent's /staff socket (campaign room: every inbound message of the campaign). */
  static async open(target: RoundTripTarget): Promise<HubRoundTrips> {
    const staff: StaffClient = connect(`${target.url}${STAFF_NAMESPACE}`, { auth: { token: target.agent.token }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      staff.once('connect', () => resolve());
      staff.once('connect_error', (error) => reject(new Error(`staff socket: ${error.message}`)));
    });
    const trips = new HubRoundTrips(target, staff);
    trips.sockets.push(staff);
    return trips;
  }

  /** `count` visitors through the pre-chat form, each with its widget socket open. */
  async createVisitors(count: number, concurrency: number): Promise<{ visitors: RoundTripVisitor[]; result: PrechatResult }> {
    const { url, channelId, origin } = this.target;
    const visitors: RoundTripVisitor[] = [];
    const prechat: number[] = [];
    const connects: number[] = [];
    const errors: Record<string, number> = {};
    await runLanes(count, concurrency, async (i) => {
      try {
        const t0 = performance.now();
        const res = await fetch(`${url}/widget/v1/channels/${channelId}/sessions`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Banco/1.0' },
          body: JSON.stringify({ name: `Ciudadana ${i}` }),
        });
        const body: unknown = await res.json();
        if (res.status !== 201) throw new Error(`pre-chat ${res.status}`);
        prechat.push(performance.now() - t0);
        const session = sessionCreatedSchema.parse(body);
        const t1 = performance.now();
        const socket = await this.openWidget(session.visitorToken);
        connects.push(performance.now() - t1);
        visitors.push({ visitorId: session.visitorId, token: session.visitorToken, socket });
      } catch (error) {
        const kind = error instanceof Error ? error.message.slice(0, 80) : String(error);
        errors[kind] = (errors[kind] ?? 0) + 1;
      }
    });
    return { visitors, result: { created: visitors.length, failed: count - visitors.length, errors, prechatMs: summarize(prechat), connectMs: summarize(connects) } };
  }

  /** One round trip per visitor, `concurrency` at a time. */
  async run(name: string, visitors: RoundTripVisitor[], concurrency: number): Promise<RoundTripPhase> {
    const samples: Record<'ack' | 'stored' | 'replyAck' | 'delivered' | 'total', number[]> = { ack: [], stored: [], replyAck: [], delivered: [], total: [] };
    const errors: Record<string, number> = {};
    let completed = 0;
    const t0 = performance.now();
    await runLanes(visitors.length, concurrency, async (i) => {
      const visitor = visitors[i];
      if (!visitor) return;
      try {
        const s = await this.roundTrip(`${this.runTag}-${name}-${i}`, visitor);
        samples.ack.push(s.ack);
        samples.stored.push(s.stored);
        samples.replyAck.push(s.replyAck);
        samples.delivered.push(s.delivered);
        samples.total.push(s.stored + s.delivered);
        completed++;
      } catch (error) {
        const kind = error instanceof Error ? error.message.slice(0, 80) : String(error);
        errors[kind] = (errors[kind] ?? 0) + 1;
      }
    });
    return {
      name,
      concurrency,
      attempted: visitors.length,
      completed,
      errors,
      wallMs: performance.now() - t0,
      ackMs: summarize(samples.ack),
      storedMs: summarize(samples.stored),
      replyAckMs: summarize(samples.replyAck),
      deliveredMs: summarize(samples.delivered),
      totalMs: summarize(samples.total),
    };
  }

  close(): void {
    for (const socket of this.sockets.splice(0)) socket.disconnect();
  }

  private async openWidget(token: string): Promise<WidgetClient> {
    const socket: WidgetClient = connect(`${this.target.url}${WIDGET_NAMESPACE}`, {
      auth: { token },
      extraHeaders: { origin: this.target.origin },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => {
        socket.close();
        reject(new Error(`widget socket: ${error.message}`));
      });
    });
    socket.on('message.created', (message) => {
      const at = performance.now();
      if (message.sender === 'agent' && message.text !== null) this.delivered.settle(message.text, at);
    });
    this.sockets.push(socket);
    return socket;
  }

  private async roundTrip(tag: string, visitor: RoundTripVisitor): Promise<{ ack: number; stored: number; replyAck: number; delivered: number }> {
    const { url, origin, agent, db, timeoutMs } = this.target;
    const question = `Consulta ${tag}: quiero agendar una cita para renovar mi pasaporte`;
    const answer = `Respuesta ${tag}: con gusto, ¿me comparte su CURP?`;

    const storedAt = this.stored.wait(question, timeoutMs);
    const t0 = performance.now();
    const sent = await fetch(`${url}/widget/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${visitor.token}`, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ clientMessageId: randomUUID(), text: question }),
    });
    const ackAt = performance.now();
    await sent.arrayBuffer();
    if (sent.status !== 202) {
      this.stored.cancel(question);
      throw new Error(`visitor POST ${sent.status}`);
    }
    const stored = await storedAt;
    const conversationId = this.conversationOf.get(question);
    this.conversationOf.delete(question);
    if (!Number.isFinite(stored) || !conversationId) throw new Error('timeout: message.created on /staff');

    // The agent takes it (what the router would do with an available agent; none is, so it stays out of the way).
    await db.updateTable('conversations').set({ status: 'assigned', assignee_id: agent.userId }).where('id', '=', conversationId).where('closed_at', 'is', null).execute();

    const deliveredAt = this.delivered.wait(answer, timeoutMs);
    const t1 = performance.now();
    const reply = await fetch(`${url}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: answer }),
    });
    const replyAckAt = performance.now();
    const replyBody: unknown = await reply.json();
    if (reply.status !== 202 || !replyCreatedSchema.safeParse(replyBody).success) {
      this.delivered.cancel(answer);
      throw new Error(`agent POST ${reply.status}`);
    }
    const delivered = await deliveredAt;
    if (!Number.isFinite(delivered)) throw new Error('timeout: message.created on /widget');
    return { ack: ackAt - t0, stored: stored - t0, replyAck: replyAckAt - t1, delivered: delivered - t1 };
  }
}
