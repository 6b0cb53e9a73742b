import { sql, type Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { bearer } from '../../support/auth.js';
import { messageBody, signedHeaders } from '../../support/webhook.js';
import type { Rng } from './prng.js';
import type { StressAgent, StressQueue, StressWorld } from './world.js';

/**
 * Drives the load of the router stress test, every request to one of the hub processes at
 * random: citizens arriving through signed webhooks (rate swinging between ~10 and ~40 a second,
 * so the line fills and empties), agents going available / aux / offline, answering offers
 * (most accept, some reject, some ignore them into RONA), resolving or transferring what they
 * hold after a while, and a supervisor reassigning now and then. Offers are found by polling
 * the offers table (every 100 ms), as an inbox without its socket would.
 */

const AUX = ['lunch', 'training', 'coaching', 'personal', 'not_ready'] as const;

interface PendingOffer {
  id: string;
  agent_id: string;
  conversation_id: string;
}
interface AssignedConversation {
  id: string;
  assignee_id: string;
  offer_id: string;
  campaign_id: string;
  queue_id: string | null;
}
interface SeatRow {
  user_id: string;
  state: string;
  load_text: number;
  cap_text: number;
}

export interface DriverStats {
  arrivalsSent: number;
  repeatContacts: number;
  offersSeen: number;
  decided: { accept: number; reject: number; ignore: number };
  resolvesTried: number;
  transfersTried: number;
  reassignsTried: number;
  reassignsToBusyTried: number;
  stateChangesTried: number;
  /** label → HTTP status (0 = network error) → count. */
  http: Record<string, Record<string, number>>;
  /** Requests per process URL. */
  perProcess: Record<string, number>;
}

export class LoadDriver {
  readonly stats: DriverStats = {
    arrivalsSent: 0,
    repeatContacts: 0,
    offersSeen: 0,
    decided: { accept: 0, reject: 0, ignore: 0 },
    resolvesTried: 0,
    transfersTried: 0,
    reassignsTried: 0,
    reassignsToBusyTried: 0,
    stateChangesTried: 0,
    http: {},
    perProcess: {},
  };
  private stopped = false;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly seenOffers = new Set<string>();
  private readonly scheduledSessions = new Set<string>();
  private pending: PendingOffer[] = [];
  private assigned = new Map<string, AssignedConversation>();
  private seats = new Map<string, SeatRow>();
  private readonly phones: { phone: string; at: number }[] = [];
  private phoneCounter = 0;
  private startedAt = 0;
  private loops: Promise<void>[] = [];
  /** Errors of the driver itself (not HTTP statuses): a broken driver must not look like a quiet router. */
  readonly driverErrors: string[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly urls: readonly string[],
    private readonly world: StressWorld,
    private readonly rng: Rng,
  ) {}

  /** Puts most agents to work and starts every loop. */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    await this.refresh();
    await Promise.all(
      this.world.agents.map((agent) => (this.rng.chance(0.9) ? this.setState(agent, 'available') : Promise.resolve())),
    );
    this.loops = [this.pollLoop(), this.arrivalLoop()];
    for (const agent of this.world.agents) this.later(this.rng.between(1500, 4000), () => this.agentStateStep(agent));
    this.later(this.rng.between(500, 1500), () => this.supervisorStep());
  }

  /** Stops making new requests and waits for those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all(this.loops);
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  // ---- plumbing ----

  private later(ms: number, fn: () => void | Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.track(Promise.resolve().then(fn));
    }, ms);
    this.timers.add(timer);
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((error: unknown) => {
      if (this.driverErrors.length < 50) this.driverErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
    });
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  private count(label: string, status: number): void {
    const byStatus = (this.stats.http[label] ??= {});
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  }

  /** One request to a process picked at random; resolves to the status (0 on a network error). */
  private async request(label: string, path: string, init: { method: string; token?: string; body?: unknown; raw?: { body: string; headers: Record<string, string> } }): Promise<number> {
    const url = this.rng.pick(this.urls);
    this.stats.perProcess[url] = (this.stats.perProcess[url] ?? 0) + 1;
    const headers: Record<string, string> = { ...(init.token ? bearer(init.token) : {}), ...(init.raw?.headers ?? {}) };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const body = init.raw?.body ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined);
    try {
      const res = await fetch(`${url}${path}`, { method: init.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(20_000) });
      await res.arrayBuffer();
      this.count(label, res.status);
      return res.status;
    } catch {
      this.count(label, 0);
      return 0;
    }
  }

  private setState(agent: StressAgent, state: string): Promise<number> {
    this.stats.stateChangesTried += 1;
    return this.request(`state:${state}`, '/api/v1/agents/me/state', { method: 'PUT', token: agent.token, body: { state } });
  }

  private agentOf(id: string): StressAgent | undefined {
    return this.world.agents.find((a) => a.id === id);
  }

  // ---- what the agents see (polling the database) ----

  private async refresh(): Promise<void> {
    const [pending, assigned, seats] = await Promise.all([
      this.db.selectFrom('offers').select(['id', 'agent_id', 'conversation_id']).where('status', '=', 'pending').execute(),
      sql<AssignedConversation>`SELECT id, assignee_id, offer_id, campaign_id, queue_id FROM conversations WHERE status = 'assigned' AND offer_id IS NOT NULL AND assignee_id IS NOT NULL`.execute(this.db),
      this.db.selectFrom('agent_seats').select(['user_id', 'state', 'load_text', 'cap_text']).execute(),
    ]);
    this.pending = pending;
    this.assigned = new Map(assigned.rows.map((r) => [r.id, r]));
    this.seats = new Map(seats.map((s) => [s.user_id, s]));
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      try {
        await this.refresh();
        for (const offer of this.pending) this.onOffer(offer);
        for (const c of this.assigned.values()) this.onAssigned(c);
      } catch (error) {
        if (!this.stopped && this.driverErrors.length < 50) this.driverErrors.push(`poll: ${String(error)}`);
      }
      await sleep(Math.max(10, 100 - (Date.now() - started)));
    }
  }

  private onOffer(offer: PendingOffer): void {
    if (this.seenOffers.has(offer.id)) return;
    this.seenOffers.add(offer.id);
    this.stats.offersSeen += 1;
    const agent = this.agentOf(offer.agent_id);
    if (!agent) return;
    const choice = this.rng.weighted([
      ['accept', 82],
      ['reject', 9],
      ['ignore', 9],
    ] as const);
    this.stats.decided[choice] += 1;
    if (choice === 'accept') {
      this.later(this.rng.between(50, 1200), () => this.request('accept', `/api/v1/offers/${offer.id}/accept`, { method: 'POST', token: agent.token }).then(() => undefined));
    } else if (choice === 'reject') {
      const reason = this.rng.pick(['No es mi especialidad', 'Estoy atendiendo una llamada', 'Fuera de mi campaña']);
      this.later(this.rng.between(50, 800), () => this.request('reject', `/api/v1/offers/${offer.id}/reject`, { method: 'POST', token: agent.token, body: { reason } }).then(() => undefined));
    }
    // ignore: the offer times out (RONA) and the agent goes not_ready.
  }

  private onAssigned(c: AssignedConversation): void {
    // Keyed by the offer: a reassigned conversation is a new session for its new agent.
    if (this.scheduledSessions.has(c.offer_id)) return;
    this.scheduledSessions.add(c.offer_id);
    this.later(this.rng.between(400, 3500), () => this.endSession(c));
  }

  private async endSession(c: AssignedConversation): Promise<void> {
    const now = this.assigned.get(c.id);
    if (!now || now.offer_id !== c.offer_id || now.assignee_id !== c.assignee_id) return; // reassigned or gone since
    const agent = this.agentOf(c.assignee_id);
    if (!agent) return;
    const others = this.world.queues.filter((q) => q.campaignId === c.campaign_id && q.id !== c.queue_id);
    if (others.length > 0 && this.rng.chance(0.06)) {
      this.stats.transfersTried += 1;
      const target: StressQueue = this.rng.pick(others);
      await this.request('transfer', `/api/v1/conversations/${c.id}/transfer`, { method: 'POST', token: agent.token, body: { target: { kind: 'queue', queueId: target.id }, reason: 'Le corresponde a otra fila' } });
      return;
    }
    this.stats.resolvesTried += 1;
    await this.request('resolve', `/api/v1/conversations/${c.id}/resolve`, { method: 'POST', token: agent.token, body: { reason: 'resuelto' } });
  }

  // ---- agents' own state ----

  private async agentStateStep(agent: StressAgent): Promise<void> {
    const state = this.seats.get(agent.id)?.state ?? 'offline';
    let to: string | null = null;
    if (state === 'available') {
      if (this.rng.chance(0.06)) to = this.rng.pick(AUX);
      else if (this.rng.chance(0.03)) to = 'offline';
    } else if (state === 'after_contact_work') {
      if (this.rng.chance(0.25)) to = 'available';
    } else if (state === 'offline') {
      if (this.rng.chance(0.35)) to = 'available';
    } else if (this.rng.chance(0.45)) {
      to = 'available';
    }
    if (to !== null) await this.setState(agent, to);
    this.later(this.rng.between(2000, 5000), () => this.agentStateStep(agent));
  }

  // ---- supervisor ----

  private async supervisorStep(): Promise<void> {
    const assigned = [...this.assigned.values()];
    if (assigned.length > 0) {
      const c = this.rng.pick(assigned);
      const members = this.world.agents.filter((a) => a.campaignIds.includes(c.campaign_id) && a.id !== c.assignee_id);
      const free = members.filter((a) => {
        const seat = this.seats.get(a.id);
        return seat !== undefined && seat.state === 'available' && seat.load_text < seat.cap_text;
      });
      // Mostly to someone with room; sometimes to anyone (busy or away: the hub must refuse).
      const toBusy = free.length === 0 || this.rng.chance(0.15);
      const pool = toBusy ? members : free;
      if (pool.length > 0) {
        const target = this.rng.pick(pool);
        this.stats.reassignsTried += 1;
        if (toBusy) this.stats.reassignsToBusyTried += 1;
        await this.request(toBusy ? 'reassign:any' : 'reassign', `/api/v1/conversations/${c.id}/reassign`, {
          method: 'POST',
          token: this.world.supervisor.token,
          body: { agentId: target.id, reason: 'Balanceo de carga' },
        });
      }
    }
    this.later(this.rng.between(300, 900), () => this.supervisorStep());
  }

  // ---- citizens ----

  /** Arrivals a second at `t` ms into the run: 25 ± 15, a period of 15 s. */
  private rate(t: number): number {
    return 25 + 15 * Math.sin((2 * Math.PI * t) / 15_000);
  }

  private async arrivalLoop(): Promise<void> {
    const slot = 50;
    while (!this.stopped) {
      const started = Date.now();
      const expected = (this.rate(started - this.startedAt) * slot) / 1000;
      const n = Math.floor(expected) + (this.rng.chance(expected - Math.floor(expected)) ? 1 : 0);
      for (let i = 0; i < n; i += 1) this.track(this.arrive());
      await sleep(Math.max(5, slot - (Date.now() - started)));
    }
  }

  private async arrive(): Promise<void> {
    const queue = this.rng.weighted(this.world.queues.map((q) => [q, q.weight] as const));
    const old = this.phones.filter((p) => Date.now() - p.at > 3000);
    let phone: string;
    if (old.length > 0 && this.rng.chance(0.1)) {
      // A citizen writing again: joins their open conversation, or opens a new one (sticky to the last agent).
      phone = this.rng.pick(old).phone;
      this.stats.repeatContacts += 1;
    } else {
      this.phoneCounter += 1;
      phone = `55 3${String(this.phoneCounter).padStart(7, '0')}`;
      this.phones.push({ phone, at: Date.now() });
    }
    this.stats.arrivalsSent += 1;
    const body = messageBody({ id: `stress-${this.stats.arrivalsSent}-${Date.now()}`, phone, name: `Ciudadano ${phone.slice(-4)}`, text: 'Hola, necesito ayuda con un trámite' });
    await this.request('webhook', `/webhooks/api/${queue.channelId}`, { method: 'POST', raw: { body, headers: signedHeaders(queue.secret, body) } });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
