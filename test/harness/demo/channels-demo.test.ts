import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo, startHubProcess, type HubProcess } from '@ventanilla/hub';
import { bearer } from '../../support/auth.js';
import { dropNamespaces, testConfig } from '../../support/test-context.js';
import { runChannelsDemo, type ChannelsDemo } from './channels-demo.js';
import { FIRST_MESSAGES, LINE_LABELS, type CitizenLine } from './demo-provider.js';
import { connectHubAdmin, DemoError } from './hub-admin-client.js';

const ADMIN = 'admin@demo.ventanilla.mx';
const AGENT = 'agente1@demo.ventanilla.mx';
/** How far each network's receipts move a reply: SMS has no reads, Messenger's read names no message. */
const FINAL_STATUS: Record<CitizenLine, string> = { wa: 'read', sms: 'delivered', fb: 'delivered', ig: 'read', x: 'read' };
const BASE_URL_SETTING = { whatsapp: 'graphBaseUrl', sms: 'apiBaseUrl', meta: 'graphBaseUrl', x: 'apiBaseUrl' } as const;

/**
 * Issue 6 item 8: `npm run demo:channels` against a real hub seeded with the demo. Each demo
 * citizen's first message becomes a conversation of «Derechohabientes», an agent's reply through
 * the API reaches the right harness and the provider's receipts move the reply's status; a second
 * run finds its channels by name and points them at the new harness ports.
 */
describe('channels demo through the provider harnesses', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', OUTBOUND_MAX_ATTEMPTS: '3' });
  let hub: HubProcess;
  let hubUrl: string;
  let campaignId: string;
  let agentToken: string;
  const demos: ChannelsDemo[] = [];
  const db = () => hub.ctx.db.kysely;

  beforeAll(async () => {
    hub = await startHubProcess(config);
    if (!hub.url) throw new Error('the hub is not listening');
    hubUrl = hub.url;
    await seedDemo(db());
    campaignId = (await db().selectFrom('campaigns').select('id').where('slug', '=', 'derechohabientes').executeTakeFirstOrThrow()).id;
    const login = await fetch(`${hubUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: AGENT, password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    agentToken = ((await login.json()) as { accessToken: string }).accessToken;
  });

  afterAll(async () => {
    for (const demo of demos) await demo.stop();
    await hub?.stop();
    await dropNamespaces(config);
  });

  async function start(log: string[]): Promise<ChannelsDemo> {
    const demo = await runChannelsDemo({ url: hubUrl, adminEmail: ADMIN, password: DEMO_PASSWORD, campaign: 'Derechohabientes', log: (line) => log.push(line), receiptDelaysMs: { delivered: 80, read: 200 }, pollMs: 40 });
    demos.push(demo);
    return demo;
  }

  /** Every citizen line: stored in the campaign, answered by the agent, the answer's receipts applied. */
  async function exercise(demo: ChannelsDemo, log: string[], round: number): Promise<void> {
    const lines = Object.keys(FIRST_MESSAGES).filter((l): l is CitizenLine => l in demo.first);
    expect(lines.sort()).toEqual(['fb', 'ig', 'sms', 'wa', 'x']);
    for (const line of lines) {
      const sent = demo.first[line]!;
      expect(sent.status, line).toBe(200);
      const channel = demo.channels.find((c) => c.lines.includes(line))!;
      const stored = () => db().selectFrom('messages').selectAll().where('channel_id', '=', channel.channelId).where('provider_message_id', '=', sent.providerMessageId).executeTakeFirst();
      await expect.poll(async () => (await stored()) !== undefined, { timeout: 15_000, message: `${line}: first message stored` }).toBe(true);
      const inbound = (await stored())!;
      expect(inbound).toMatchObject({ direction: 'inbound', text: FIRST_MESSAGES[line] });
      const conversation = await db().selectFrom('conversations').select(['campaign_id', 'channel_id']).where('id', '=', inbound.conversation_id).executeTakeFirstOrThrow();
      expect(conversation).toEqual({ campaign_id: campaignId, channel_id: channel.channelId });

      const text = `Ronda ${round}: con gusto le ayudamos (${line}).`;
      const res = await fetch(`${hubUrl}/api/v1/conversations/${inbound.conversation_id}/messages`, { method: 'POST', headers: { ...bearer(agentToken), 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
      expect(res.status, await res.clone().text()).toBe(202);
      const replyId = ((await res.json()) as { message: { id: string } }).message.id;
      await expect.poll(() => demo.outbound.filter((o) => o.line === line && o.text === text).length, { timeout: 15_000, message: `${line}: reply reached the harness` }).toBe(1);
      const seen = demo.outbound.find((o) => o.line === line && o.text === text)!;
      expect(seen.status).toBeGreaterThanOrEqual(200);
      expect(seen.status).toBeLessThan(300);
      expect(log).toContain(`${LINE_LABELS[line]} → ${seen.to}: ${text}`);
      const reply = () => db().selectFrom('messages').select(['status', 'provider_message_id']).where('id', '=', replyId).executeTakeFirstOrThrow();
      await expect.poll(async () => (await reply()).status, { timeout: 15_000, message: `${line}: receipts applied` }).toBe(FINAL_STATUS[line]);
      expect((await reply()).provider_message_id).toBe(seen.providerMessageId);
    }
    expect(demo.outbound.find((o) => o.line === 'wa')?.to).toBe('+52 55 1000 0001');
    expect(demo.receipts.every((r) => r.status === 200)).toBe(true);
  }

  it('creates the four channels at the harnesses, and every citizen reaches an agent and gets the reply with its ticks', async () => {
    const log: string[] = [];
    const demo = await start(log);
    expect(demo.campaignName).toBe('Derechohabientes');
    expect(demo.channels.map((c) => [c.kind, c.name, c.reused])).toEqual([
      ['whatsapp', 'Demo WhatsApp (harness)', false],
      ['sms', 'Demo SMS (harness)', false],
      ['meta', 'Demo Messenger + Instagram (harness)', false],
      ['x', 'Demo X (harness)', false],
    ]);
    for (const c of demo.channels) {
      expect(c.webhookUrl).toBe(`${hubUrl}/webhooks/${c.kind}/${c.channelId}`);
      expect(c.settings[BASE_URL_SETTING[c.kind]]).toBe(c.harnessUrl);
      expect(log.some((l) => l.includes(c.webhookUrl))).toBe(true);
    }
    await exercise(demo, log, 1);
  }, 90_000);

  it('a second run reuses the channels by name, points them at the new harness ports and works the same', async () => {
    const before = demos[0]!;
    await before.stop();
    const log: string[] = [];
    const demo = await start(log);
    expect(demo.channels.map((c) => c.channelId)).toEqual(before.channels.map((c) => c.channelId));
    expect(demo.channels.every((c) => c.reused)).toBe(true);
    for (const c of demo.channels) {
      const row = await db().selectFrom('channels').select('settings').where('id', '=', c.channelId).executeTakeFirstOrThrow();
      expect(row.settings[BASE_URL_SETTING[c.kind]]).toBe(c.harnessUrl);
      expect(c.harnessUrl).not.toBe(before.channels.find((b) => b.channelId === c.channelId)!.harnessUrl);
    }
    expect((await db().selectFrom('channels').select('id').where('name', 'like', 'Demo % (harness)').execute()).length).toBe(4);
    await exercise(demo, log, 2);

    // A line typed in the terminal is one more citizen message in the same conversation.
    const again = await demo.send('wa', 'Hola otra vez');
    expect(again.status).toBe(200);
    await expect.poll(async () => (await db().selectFrom('messages').select('text').where('provider_message_id', '=', again.providerMessageId).executeTakeFirst())?.text, { timeout: 10_000 }).toBe('Hola otra vez');
  }, 90_000);

  it('explains a hub that is not running and a refused login', async () => {
    const down = runChannelsDemo({ url: 'http://127.0.0.1:9', adminEmail: ADMIN, password: DEMO_PASSWORD, campaign: 'Derechohabientes', log: () => undefined });
    await expect(down).rejects.toThrow(DemoError);
    await expect(down).rejects.toThrow(/npm run demo/);
    const refused = runChannelsDemo({ url: hubUrl, adminEmail: ADMIN, password: 'no-es-la-contraseña', campaign: 'Derechohabientes', log: () => undefined });
    await expect(refused).rejects.toThrow(/rechazó el inicio de sesión/);
    const noCampaign = runChannelsDemo({ url: hubUrl, adminEmail: ADMIN, password: DEMO_PASSWORD, campaign: 'Pasaportes', log: () => undefined });
    await expect(noCampaign).rejects.toThrow(/No existe la campaña «Pasaportes»/);
  });

  it('says which channel kind a hub does not offer, and goes on with the others', async () => {
    // An older hub without SMS answers the create with its validation error.
    const older = createServer((req, res) => {
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        if (req.url === '/api/v1/auth/login') return reply(200, { accessToken: 'token' });
        if (req.url === '/api/v1/campaigns') return reply(200, { items: [{ id: 'c1', slug: 'derechohabientes', name: 'Derechohabientes' }] });
        if (req.method === 'GET') return reply(200, { items: [] });
        const kind = (JSON.parse(raw) as { kind: string }).kind;
        if (kind === 'sms') return reply(400, { error: { code: 'HUB_ERR_VALIDATION', message: `Tipo de canal desconocido / unknown channel kind: ${kind}` } });
        return reply(201, { id: `id-${kind}`, webhookPath: `/webhooks/${kind}/id-${kind}`, settings: {} });
      });
    });
    await new Promise<void>((resolve) => older.listen(0, '127.0.0.1', resolve));
    try {
      const admin = await connectHubAdmin({ url: `http://127.0.0.1:${(older.address() as AddressInfo).port}`, adminEmail: ADMIN, password: DEMO_PASSWORD, campaign: 'derechohabientes' });
      const sms = admin.upsertChannel({ kind: 'sms', name: 'Demo SMS (harness)', settings: {}, secrets: {} });
      await expect(sms).rejects.toThrow(/Este hub no ofrece canales «sms»/);
      await expect(sms).rejects.toMatchObject({ channelOnly: true });
      expect(await admin.upsertChannel({ kind: 'x', name: 'Demo X (harness)', settings: {}, secrets: {} })).toMatchObject({ id: 'id-x', reused: false });
    } finally {
      await new Promise((resolve) => older.close(resolve));
    }
  });
});
