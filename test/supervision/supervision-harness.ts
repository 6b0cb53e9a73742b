import { expect } from 'vitest';
import type { ServerToClientEvents } from '@ventanilla/hub';
import { createQueue, createSkill, setCampaignRouting } from '../support/router-factories.js';
import { conversationOf, createTestAgent, createTestCampaign, type RouterHarness, type TestAgent } from '../router/router-harness.js';

type Heard = { [E in keyof ServerToClientEvents]?: Parameters<ServerToClientEvents[E]>[0][] };

/** Everything a staff socket heard, by event (for "reached / never reached" assertions). */
export function listen(agent: TestAgent, events: (keyof ServerToClientEvents)[]): Heard {
  const heard: Heard = {};
  for (const event of events) {
    const list: unknown[] = [];
    Object.assign(heard, { [event]: list });
    (agent.socket.on as (ev: string, fn: (p: unknown) => void) => void)(event, (p) => list.push(p));
  }
  return heard;
}

/** A campaign with one queue, two agents (a takes the work, b is a colleague) and a supervisor. */
export async function supervisionScenario(h: RouterHarness, prefix: string) {
  const c = await createTestCampaign(h, prefix);
  await setCampaignRouting(h.db, c.id, { afterContactWorkMaxSeconds: 0, offerTimeoutSeconds: 60 });
  const skill = await createSkill(h.db, c.id, 'general');
  await createQueue(h.db, c.id, { name: 'General', isDefault: true, skills: { [skill]: 1 } });
  const a = await createTestAgent(h, [c.id], { [skill]: 3 });
  const b = await createTestAgent(h, [c.id], { [skill]: 3 });
  const supervisor = await createTestAgent(h, [c.id], {}, ['supervisor']);
  let phone = 0;
  /** A conversation the citizen opened and agent `a` accepted. */
  async function assignedToA(): Promise<{ id: string; folio: string; digits: string; phone: string }> {
    phone += 1;
    const digits = `${prefix.charCodeAt(0)}${String(phone).padStart(5, '0')}`.slice(-8).padStart(8, '7');
    const formatted = `55 ${digits.slice(0, 4)} ${digits.slice(4)}`;
    // One session at a time keeps `a` within capacity and the line empty.
    const open = await h.db.selectFrom('conversations').select('id').where('campaign_id', '=', c.id).where('closed_at', 'is', null).execute();
    for (const o of open) expect((await h.api('POST', `/conversations/${o.id}/resolve`, supervisor.token, { reason: 'fin de prueba' })).status).toBeLessThan(300);
    await h.api('PUT', '/agents/me/state', b.token, { state: 'lunch' });
    await h.api('PUT', '/agents/me/state', a.token, { state: 'available' });
    await c.citizenWrites(formatted);
    await expect.poll(async () => (await conversationOf(h, digits))?.status, { timeout: 5000 }).toBe('offered');
    const conversation = (await conversationOf(h, digits))!;
    await expect.poll(() => a.offers.some((o) => o.conversationId === conversation.id), { timeout: 5000 }).toBe(true);
    const offer = a.offers.find((o) => o.conversationId === conversation.id)!;
    expect((await h.api('POST', `/offers/${offer.offerId}/accept`, a.token)).status).toBe(200);
    return { id: conversation.id, folio: conversation.folio, digits, phone: formatted };
  }
  return { c, a, b, supervisor, assignedToA };
}
