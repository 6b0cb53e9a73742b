import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import { STAFF_NAMESPACE, type ClientToServerEvents, type ConversationOfferedPayload, type MessageCreatedPayload, type ServerToClientEvents } from '@ventanilla/hub';
import type { LoadAgent } from './fixtures.js';
import type { HubHttp } from './hub-http.js';
import { channelOfKey, parseCitizenMarker, replyMarker, type LoadChannel, type LoadMetrics } from './load-metrics.js';

type StaffClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What the fleet knows of one conversation: who holds it and which citizen messages wait for an answer. */
interface HeldConversation {
  channel: LoadChannel;
  key: string;
  holder: string | null;
  /** Citizen message numbers not answered yet, and whether the last one closes the conversation. */
  unanswered: number[];
  closing: boolean;
  replying: boolean;
}

const REPLIES = [
  'Con gusto le ayudo. ¿Me comparte su CURP, por favor?',
  'Gracias. Ya revisé su trámite: está en proceso y le avisaremos por este medio.',
  'Puede agendar su cita en línea o aquí mismo; ¿qué día le acomoda?',
  'Le confirmo que su solicitud quedó registrada con su folio.',
];

/**
 * `agents` simulated agents, each with its own /staff socket (the inbox's): an offer addressed to
 * the agent is accepted after a human-like pause (POST /offers/:id/accept), every citizen message
 * of a conversation the agent holds is answered after a typing pause (POST
 * /conversations/:id/messages), and a conversation whose last message came is resolved after the
 * answer. All agents share one view of the conversations (this process) so a message that arrived
 * before the accept is answered once accepted.
 */
export class AgentFleet {
  private readonly sockets: StaffClient[] = [];
  private readonly conversations = new Map<string, HeldConversation>();
  private readonly seenMessages = new Set<string>();
  private readonly seenOffers = new Set<string>();
  private stopped = false;
  offers = 0;
  accepted = 0;
  acceptFailed = 0;
  /** Offers that timed out (RONA) and put the agent in not_ready; the agent then makes themself available again, as a person would. */
  ronaReturns = 0;
  resolved = 0;

  constructor(
    private readonly url: string,
    private readonly http: HubHttp,
    private readonly metrics: LoadMetrics,
    private readonly think: { acceptDelayMs: [number, number]; replyDelayMs: [number, number] },
  ) {}

  async connect(agents: LoadAgent[]): Promise<void> {
    // A few at a time: 200 handshakes at once would measure the handshake storm, not the load.
    for (let i = 0; i < agents.length; i += 20) await Promise.all(agents.slice(i, i + 20).map((agent) => this.connectOne(agent)));
  }

  /** Stops accepting and replying (sockets stay up until close()). */
  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.stopped = true;
    for (const socket of this.sockets.splice(0)) socket.disconnect();
  }

  /** Conversations the fleet knows that no agent holds yet (waiting in a queue or being offered). */
  waiting(): number {
    let n = 0;
    for (const c of this.conversations.values()) if (c.holder === null) n++;
    return n;
  }

  held(): number {
    return this.conversations.size - this.waiting();
  }

  private async connectOne(agent: LoadAgent): Promise<void> {
    const socket: StaffClient = connect(`${this.url}${STAFF_NAMESPACE}`, { auth: { token: agent.token }, transports: ['websocket'], forceNew: true, reconnection: true });
    this.sockets.push(socket);
    socket.on('message.created', (payload) => this.onMessage(payload, performance.now()));
    socket.on('conversation.offered', (payload) => this.onOffer(agent, payload, performance.now()));
    socket.on('agent.state_changed', (payload) => {
      if (payload.agentId !== agent.userId || payload.to !== 'not_ready' || payload.reason !== 'rona' || this.stopped) return;
      this.ronaReturns++;
      void sleep(between(this.think.acceptDelayMs)).then(async () => {
        if (this.stopped) return;
        try {
          const res = await this.http.request('PUT', '/api/v1/agents/me/state', agent.token, { state: 'available' });
          if (res.status !== 200) this.metrics.error(`back from RONA: HTTP ${res.status}`);
        } catch (error) {
          this.metrics.error(`back from RONA: ${describe(error)}`);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('agent socket: no connection after 15 s')), 15_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (error) => {
        clearTimeout(timer);
        reject(new Error(`agent socket: ${error.message}`));
      });
    });
  }

  private onMessage(payload: MessageCreatedPayload, at: number): void {
    // Every agent of the campaign gets it (campaign room): handle each message once.
    if (payload.message.direction !== 'inbound' || this.seenMessages.has(payload.message.id)) return;
    this.seenMessages.add(payload.message.id);
    const marker = parseCitizenMarker(payload.message.text ?? '');
    const channel = marker ? channelOfKey(marker.key) : null;
    if (!marker || !channel) return;
    this.metrics.delivered(channel, `${marker.key}/${marker.n}`, at);
    const conversation = this.conversationFor(payload.conversationId, channel, marker.key);
    conversation.unanswered.push(marker.n);
    if (marker.last) conversation.closing = true;
    this.scheduleReply(payload.conversationId, conversation);
  }

  private conversationFor(id: string, channel: LoadChannel, key: string): HeldConversation {
    const known = this.conversations.get(id);
    if (known) {
      // Taken before its first message.created reached us: now we know what it is.
      known.channel = channel;
      known.key = key;
      return known;
    }
    const conversation: HeldConversation = { channel, key, holder: null, unanswered: [], closing: false, replying: false };
    this.conversations.set(id, conversation);
    return conversation;
  }

  private onOffer(agent: LoadAgent, payload: ConversationOfferedPayload, at: number): void {
    if (payload.agentId !== agent.userId || this.seenOffers.has(payload.offerId) || this.stopped) return;
    this.seenOffers.add(payload.offerId);
    this.offers++;
    if (payload.autoAccepted) {
      this.take(payload.conversationId, agent);
      return;
    }
    void sleep(between(this.think.acceptDelayMs)).then(async () => {
      if (this.stopped) return;
      const conversation = this.conversations.get(payload.conversationId);
      try {
        const res = await this.http.request('POST', `/api/v1/offers/${payload.offerId}/accept`, agent.token, null);
        if (res.status !== 200) {
          this.acceptFailed++;
          this.metrics.error(`accept HTTP ${res.status}`);
          return;
        }
        this.accepted++;
        if (conversation) this.metrics.accepted(conversation.channel, performance.now() - at);
        this.take(payload.conversationId, agent);
      } catch (error) {
        this.acceptFailed++;
        this.metrics.error(`accept: ${describe(error)}`);
      }
    });
  }

  private take(conversationId: string, agent: LoadAgent): void {
    this.tokens.set(agent.userId, agent.token);
    const conversation = this.conversations.get(conversationId);
    // The offer may come before the message.created that created the conversation: keep the holder.
    if (!conversation) {
      this.conversations.set(conversationId, { channel: 'webchat', key: '', holder: agent.userId, unanswered: [], closing: false, replying: false });
      return;
    }
    conversation.holder = agent.userId;
    this.scheduleReply(conversationId, conversation);
  }

  private readonly tokens = new Map<string, string>();

  private scheduleReply(conversationId: string, conversation: HeldConversation): void {
    if (conversation.holder === null || conversation.replying || conversation.unanswered.length === 0 || this.stopped) return;
    const token = this.tokens.get(conversation.holder);
    if (!token) return;
    conversation.replying = true;
    void sleep(between(this.think.replyDelayMs)).then(async () => {
      const n = Math.max(...conversation.unanswered);
      conversation.unanswered = [];
      const closing = conversation.closing;
      const marker = replyMarker(conversation.key, n);
      const text = `${REPLIES[n % REPLIES.length] ?? ''} ${marker}`;
      try {
        const t0 = performance.now();
        const res = await this.http.request('POST', `/api/v1/conversations/${conversationId}/messages`, token, { text });
        const t1 = performance.now();
        if (res.status !== 202) this.metrics.error(`reply HTTP ${res.status}`);
        else this.metrics.replySent(conversation.channel, marker, t0, t1 - t0);
        if (closing) {
          const resolved = await this.http.request('POST', `/api/v1/conversations/${conversationId}/resolve`, token, { reason: 'resuelto' });
          if (resolved.status !== 200) this.metrics.error(`resolve HTTP ${resolved.status}`);
          else {
            this.resolved++;
            this.metrics.closed(conversation.channel);
          }
          this.conversations.delete(conversationId);
          return;
        }
      } catch (error) {
        this.metrics.error(`reply: ${describe(error)}`);
      } finally {
        conversation.replying = false;
      }
      this.scheduleReply(conversationId, conversation);
    });
  }
}

function between([min, max]: [number, number]): number {
  return min + Math.random() * (max - min);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.message || error.name).slice(0, 80) : String(error).slice(0, 80);
}
