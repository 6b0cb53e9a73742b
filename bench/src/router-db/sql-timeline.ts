import { performance } from 'node:perf_hooks';
import pg from 'pg';

/**
 * Bench-only instrumentation: records when each statement sent through `pg` in this process
 * starts and ends (pg.Client.prototype.query is patched while a recording is open; no hub
 * change). The hub's Kysely driver calls client.query(text, parameters), so every statement of a
 * routing pass shows up here with its wall time, result rows parsed included.
 */
export interface SqlEvent {
  text: string;
  start: number;
  end: number;
}

type QueryFn = (...args: unknown[]) => unknown;

let installed = false;
let recording: SqlEvent[] | null = null;
/** Where server notices (auto_explain output at level NOTICE) of any client go while set. */
let noticeSink: string[] | null = null;
const listening = new WeakSet<object>();

function install(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  proto.query = function timedQuery(this: object, ...args: unknown[]): unknown {
    if (noticeSink !== null && !listening.has(this)) {
      listening.add(this);
      (this as pg.Client).on('notice', (message) => noticeSink?.push(message.message ?? ''));
    }
    const result = original.apply(this, args);
    const events = recording;
    if (events === null || !(result instanceof Promise)) return result;
    const first = args[0];
    const text = typeof first === 'string' ? first : typeof first === 'object' && first !== null && 'text' in first ? String(first.text) : '';
    const event: SqlEvent = { text: text.replace(/\s+/g, ' ').trim().slice(0, 240), start: performance.now(), end: NaN };
    events.push(event);
    const done = (): void => {
      event.end = performance.now();
    };
    result.then(done, done);
    return result;
  };
}

/** Records the statements sent while `body` runs. */
export async function withSqlTimeline<T>(body: () => Promise<T>): Promise<{ value: T; events: SqlEvent[] }> {
  install();
  const events: SqlEvent[] = [];
  const previous = recording;
  recording = events;
  try {
    const value = await body();
    return { value, events };
  } finally {
    recording = previous;
  }
}

/** Collects the server notices received while `body` runs. */
export async function withNotices<T>(body: () => Promise<T>): Promise<{ value: T; notices: string[] }> {
  install();
  const notices: string[] = [];
  noticeSink = notices;
  try {
    return { value: await body(), notices };
  } finally {
    noticeSink = null;
  }
}

/** The steps of one routing pass (hub/src/router/usecases/routing-pass.usecase.ts), by statement. */
export type PassStep = 'begin' | 'lock' | 'settings' | 'intake' | 'agents' | 'waiting' | 'strategy' | 'claim' | 'saveStrategy' | 'commit' | 'other';

export function classify(text: string): PassStep {
  const t = text.toLowerCase();
  if (t === 'begin' || t.startsWith('begin ')) return 'begin';
  if (t === 'commit' || t === 'rollback') return 'commit';
  if (t.includes('pg_try_advisory_xact_lock')) return 'lock';
  if (t.includes('router_claim(')) return 'claim';
  if (t.includes('"router_state"')) return t.startsWith('insert') ? 'saveStrategy' : 'strategy';
  if (t.includes('from "queues"') || t.includes('from "queue_skills"') || t.includes('from "campaigns"')) return 'settings';
  if (t.includes('from "agent_seats" as "s"') || t.includes('from "user_campaigns"') || t.includes('from "agent_skills" as "a"')) return 'agents';
  if (t.includes('from "conversations" as "c" inner join "channels"')) return 'intake';
  if (t.startsWith('select "id", "queue_id", "channel_class"') && t.includes('from "conversations"')) return 'waiting';
  if (t.startsWith('update "conversations"') || t.includes('"interaction_events"') || t.includes('distinct on ("contact_id")')) return 'intake';
  return 'other';
}

export interface PassPhases {
  /** Wall time of each step: from its first statement's start to its last one's end. */
  stepsMs: Partial<Record<PassStep, number>>;
  /** JavaScript between the last snapshot read and the claim: planAssignments and the claim payload. */
  planMs: number;
  /** BEGIN sent → COMMIT answered. */
  transactionMs: number;
  /** performance.now() when the COMMIT was answered (NaN if none). */
  committedAt: number;
  statements: number;
}

/** Splits one pass's statements into its steps; `plan` is the gap the core runs in. */
export function passPhases(events: readonly SqlEvent[]): PassPhases {
  const spans = new Map<PassStep, { start: number; end: number }>();
  for (const e of events) {
    const step = classify(e.text);
    const span = spans.get(step);
    if (span) {
      span.start = Math.min(span.start, e.start);
      span.end = Math.max(span.end, e.end);
    } else spans.set(step, { start: e.start, end: e.end });
  }
  const stepsMs: PassPhases['stepsMs'] = {};
  for (const [step, span] of spans) stepsMs[step] = span.end - span.start;
  const claim = spans.get('claim');
  const reads: ReadonlySet<PassStep> = new Set(['begin', 'lock', 'settings', 'intake', 'agents', 'waiting', 'strategy']);
  const beforeClaim = events.filter((e) => claim !== undefined && e.end <= claim.start && reads.has(classify(e.text)));
  const lastRead = beforeClaim.reduce((max, e) => Math.max(max, e.end), -Infinity);
  const begin = spans.get('begin');
  const commit = spans.get('commit');
  return {
    stepsMs,
    planMs: claim && Number.isFinite(lastRead) ? claim.start - lastRead : 0,
    transactionMs: begin && commit ? commit.end - begin.start : NaN,
    committedAt: commit ? commit.end : NaN,
    statements: events.length,
  };
}
