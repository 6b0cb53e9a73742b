import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { bearer } from '../../support/auth.js';
import type { StressWorld } from '../../multiprocess/router-stress/world.js';

/**
 * End of shift through the load balancer: every agent offline, everything assigned resolved,
 * open offers left to time out (RONA), until no seat is held. Returns HTTP statuses by action and
 * how many conversations were still held at the deadline.
 */
export async function drainAgents(db: Kysely<Database>, url: () => string, world: StressWorld, deadlineMs = 30_000): Promise<{ http: Record<string, Record<string, number>>; stillHeld: number }> {
  const http: Record<string, Record<string, number>> = { offline: {}, resolve: {} };
  const call = async (label: 'offline' | 'resolve', path: string, token: string, body: unknown, method: string) => {
    const status = await fetch(`${url()}/api/v1${path}`, { method, headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      })
      .catch(() => 0);
    const byStatus = http[label] as Record<string, number>;
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  };
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const [seats, held] = await Promise.all([
      db.selectFrom('agent_seats').select(['user_id', 'state']).where('state', '!=', 'offline').execute(),
      db.selectFrom('conversations').select(['id', 'status', 'assignee_id']).where('status', 'in', ['offered', 'assigned']).execute(),
    ]);
    if (seats.length === 0 && held.length === 0) break;
    const tasks = [
      ...seats.map((seat) => () => {
        const agent = world.agents.find((a) => a.id === seat.user_id);
        return agent ? call('offline', '/agents/me/state', agent.token, { state: 'offline' }, 'PUT') : Promise.resolve();
      }),
      ...held
        .filter((c) => c.status === 'assigned')
        .map((c) => () => {
          const agent = world.agents.find((a) => a.id === c.assignee_id);
          return agent ? call('resolve', `/conversations/${c.id}/resolve`, agent.token, { reason: 'cierre de turno' }, 'POST') : Promise.resolve();
        }),
    ];
    for (let i = 0; i < tasks.length; i += 6) await Promise.all(tasks.slice(i, i + 6).map((t) => t()));
    await new Promise((r) => setTimeout(r, 250));
  }
  const stillHeld = (await db.selectFrom('conversations').select('id').where('status', 'in', ['offered', 'assigned']).execute()).length;
  return { http, stillHeld };
}
