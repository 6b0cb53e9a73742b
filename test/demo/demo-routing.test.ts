import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, seedDemo, DEMO_PASSWORD, type ConversationOfferedPayload, type HubProcess } from '@ventanilla/hub';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { bearer, connectStaff, type StaffClient } from '../support/auth.js';
import { messageBody, signedHeaders } from '../support/webhook.js';

/**
 * Issue 3, "done when": the demo's agents receive conversations by skill, never more than 4
 * each, and a 5th citizen sees their position and estimated wait.
 */
describe('demo routing', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let hub: HubProcess;
  let channel: { id: string; secret: string };
  const sockets: StaffClient[] = [];
  const offers = new Map<string, ConversationOfferedPayload[]>();
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();

  async function login(email: string): Promise<void> {
    const res = await fetch(`${hub.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; user: { id: string } };
    tokens.set(email, body.accessToken);
    ids.set(email, body.user.id);
    const socket = await connectStaff(hub.url!, body.accessToken);
    sockets.push(socket);
    offers.set(email, []);
    socket.on('conversation.offered', (p) => {
      if (p.agentId === body.user.id) offers.get(email)!.push(p);
    });
    const state = await fetch(`${hub.url}/api/v1/agents/me/state`, { method: 'PUT', headers: { ...bearer(body.accessToken), 'content-type': 'application/json' }, body: JSON.stringify({ state: 'available' }) });
    expect(state.status).toBe(200);
  }

  async function citizen(n: number, text: string): Promise<void> {
    const body = messageBody({ id: `demo-${n}`, phone: `55 6000 ${String(1000 + n)}`, name: `Derechohabiente ${n}`, text });
    const res = await fetch(`${hub.url}/webhooks/api/${channel.id}`, { method: 'POST', headers: signedHeaders(channel.secret, body), body });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    hub = await startHubProcess(config);
    const seed = await seedDemo(hub.ctx.db.kysely);
    channel = seed.channels.find((c) => c.campaign === 'Derechohabientes')!;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await hub.stop();
    await dropNamespaces(config);
  });

  it('gives general-orientation citizens only to agents with the skill, at most 4 each; the 5th waits and is told where they stand', async () => {
    // Ana has afiliacion_vigencia 4; Carmen has no afiliacion_vigencia at all.
    await login('agente1@demo.ventanilla.mx');
    await login('agente3@demo.ventanilla.mx');
    for (let n = 1; n <= 5; n += 1) await citizen(n, 'Quiero saber mi vigencia de derechos');
    await expect.poll(() => offers.get('agente1@demo.ventanilla.mx')!.length, { timeout: 5000 }).toBe(4);
    await new Promise((r) => setTimeout(r, 500));
    expect(offers.get('agente1@demo.ventanilla.mx')).toHaveLength(4);
    expect(offers.get('agente3@demo.ventanilla.mx')).toHaveLength(0);
    const db = hub.ctx.db.kysely;
    const seat = await db.selectFrom('agent_seats').selectAll().where('user_id', '=', ids.get('agente1@demo.ventanilla.mx')!).executeTakeFirstOrThrow();
    expect([seat.load_text, seat.cap_text]).toEqual([4, 4]);
    const waiting = await db.selectFrom('conversations').select(['id', 'folio']).where('status', '=', 'queued').execute();
    expect(waiting).toHaveLength(1);
    await expect
      .poll(async () => (await db.selectFrom('messages').select('text').where('conversation_id', '=', waiting[0]!.id).where('sender_type', '=', 'system').execute()).map((m) => m.text ?? ''), {
        timeout: 8000,
      })
      .toEqual(expect.arrayContaining([expect.stringMatching(/(Usted es la siguiente persona en la fila|Su lugar en la fila es 1).*tiempo estimado/i)]));
  });

  it('Luis (afiliacion_vigencia 3) takes the citizen who was waiting as soon as he is available', async () => {
    await login('agente2@demo.ventanilla.mx');
    await expect.poll(() => offers.get('agente2@demo.ventanilla.mx')!.length, { timeout: 5000 }).toBe(1);
    const queued = await hub.ctx.db.kysely.selectFrom('conversations').select('id').where('status', '=', 'queued').execute();
    expect(queued).toHaveLength(0);
  });
});
