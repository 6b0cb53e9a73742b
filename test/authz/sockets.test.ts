import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { SOCKET_EVENTS } from '../../hub/src/auth/access-policy/access-policy.js';
import { tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { expectedFor } from './authz-matrix.js';
import { CALLERS, FOREIGN_ROLES, type Caller } from './authz-world.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The event names of one `interface Name { 'event': … }` block of a contract file. */
async function contractEvents(file: string, name: string): Promise<string[]> {
  const source = await readFile(`${ROOT}${file}`, 'utf8');
  const start = source.indexOf(`export interface ${name} {`);
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^\s+'([a-z.]+)':/gm)].map((m) => m[1] ?? '');
}

/** An event's ack as the handlers send it: { ok: true } or { ok: false, code }. */
function readAck(ack: unknown): { ok: boolean; code: unknown } {
  return typeof ack === 'object' && ack !== null ? { ok: Reflect.get(ack, 'ok') === true, code: Reflect.get(ack, 'code') } : { ok: false, code: undefined };
}

/** Issue 12 authorization matrix for socket.io: the staff handshake and every acked staff event × caller. */
describe('authorization matrix: socket events', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let campaignA: string;
  let conversationA: string;
  const tokens = new Map<Caller, string | undefined>();

  beforeAll(async () => {
    hub = await startHubProcess(config);
    const db = hub.ctx.db.kysely;
    campaignA = (await createCampaign(db)).id;
    const campaignB = (await createCampaign(db)).id;
    const { channel } = await createApiChannel(db, campaignA);
    const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana' }).returning('id').executeTakeFirstOrThrow();
    const { folio } = await db.selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(campaignA)]).as('folio')).executeTakeFirstOrThrow();
    conversationA = (await db.insertInto('conversations').values({ folio, campaign_id: campaignA, channel_id: channel.id, contact_id: contact.id }).returning('id').executeTakeFirstOrThrow()).id;
    tokens.set('anonymous', undefined);
    for (const role of ['admin', 'supervisor', 'agent', 'trainer', 'auditor', 'quality_analyst'] as const) {
      tokens.set(role, await tokenFor(db, (await createUser(db, { roles: [role], campaignIds: [campaignA] })).id));
    }
    tokens.set('foreign', await tokenFor(db, (await createUser(db, { roles: FOREIGN_ROLES, campaignIds: [campaignB] })).id));
  });
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('declares every event of the staff and widget contracts', async () => {
    const staff = await contractEvents('hub/src/realtime/events.contract.ts', 'ClientToServerEvents');
    const widget = await contractEvents('hub/src/webchat/widget.contract.ts', 'WidgetClientToServerEvents');
    expect(staff.length).toBeGreaterThan(3);
    const declared = (namespace: string) => SOCKET_EVENTS.filter((e) => e.namespace === namespace && e.event !== 'connect').map((e) => e.event).sort();
    expect(declared('/staff')).toEqual([...staff].sort());
    expect(declared('/widget')).toEqual([...widget].sort());
  });

  /** Connects as the caller: the socket, or the handshake's refusal code. */
  async function open(caller: Caller): Promise<{ socket?: Socket; refused?: string }> {
    const token = tokens.get(caller);
    const socket = connect(`${hub.url}/staff`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
    return new Promise((resolve) => {
      socket.once('connect', () => resolve({ socket }));
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
        socket.disconnect();
        resolve({ refused: error.data?.code ?? error.message });
      });
    });
  }

  const payloads: Record<string, () => object> = {
    'conversation.watch': () => ({ conversationId: conversationA }),
    'conversation.unwatch': () => ({ conversationId: conversationA }),
    'wallboard.watch': () => ({ campaignId: campaignA }),
    'wallboard.unwatch': () => ({ campaignId: campaignA }),
  };

  it('connects and answers every acked staff event as declared, for every role, no token and another campaign', async () => {
    const connectRule = SOCKET_EVENTS.find((e) => e.namespace === '/staff' && e.event === 'connect');
    const acked = SOCKET_EVENTS.filter((e) => e.namespace === '/staff' && e.outcome === 'ack');
    expect(connectRule).toBeDefined();
    expect(acked.map((e) => e.event).sort()).toEqual(Object.keys(payloads).sort());
    const mismatches: string[] = [];
    for (const caller of CALLERS) {
      const { socket, refused } = await open(caller);
      const connectExpected = connectRule ? expectedFor(connectRule, caller) : 'denied';
      const connectGot = socket ? 'allowed' : refused === 'HUB_ERR_AUTH_REQUIRED' ? 'unauthenticated' : refused === 'HUB_ERR_FORBIDDEN_ROLE' ? 'denied' : `refused ${refused}`;
      if (connectGot !== connectExpected) mismatches.push(`${caller} connect: expected ${connectExpected}, got ${connectGot}`);
      if (!socket) continue;
      for (const rule of acked) {
        const expected = expectedFor(rule, caller);
        const ack = readAck(await socket.timeout(5000).emitWithAck(rule.event, payloads[rule.event]?.()));
        const got = ack.ok ? 'allowed' : ack.code === 'HUB_ERR_FORBIDDEN_ROLE' || ack.code === 'HUB_ERR_FORBIDDEN_CAMPAIGN' ? 'denied' : `error ${String(ack.code)}`;
        if (got !== expected) mismatches.push(`${caller} ${rule.event}: expected ${expected}, got ${got}`);
      }
      socket.disconnect();
    }
    expect(mismatches).toEqual([]);
  });
});
