import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { ChannelStore } from '../../hub/src/channels/channel-store.js';
import { ingestMessages } from '../../hub/src/ingest/ingest-message.usecase.js';

describe('conversation list and detail', () => {
  let hub: TestHub;
  let campaignA: string;
  let agentA: string;
  let auditorA: string;
  let agentB: string;
  const folios: string[] = [];

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignA = (await createCampaign(db, { prefix: 'LA' })).id;
    const campaignB = (await createCampaign(db, { prefix: 'LB' })).id;
    const channels = new ChannelStore(db);
    const a = (await channels.get((await createApiChannel(db, campaignA)).channel.id))!;
    const b = (await channels.get((await createApiChannel(db, campaignB)).channel.id))!;
    const at = new Date().toISOString();
    // Twelve citizens on A (one message each, in sequence so the order is known), one on B.
    for (let i = 0; i < 12; i++) {
      const [r] = await ingestMessages(db, [{ channel: a, event: { type: 'message', providerMessageId: `l-${i}`, occurredAt: at, contact: { phone: `+52 55 3000 00${String(i).padStart(2, '0')}` }, content: { type: 'text', text: `m${i}` } } }]);
      if (r?.outcome === 'stored') folios.push(r.folio);
      // Timestamps have millisecond precision: keep the expected order unambiguous.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await ingestMessages(db, [{ channel: b, event: { type: 'message', providerMessageId: 'l-b', occurredAt: at, contact: { phone: '+52 55 3999 0000' }, content: { type: 'text', text: 'b' } } }]);
    agentA = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignA] })).id);
    auditorA = await tokenFor(db, (await createUser(db, { roles: ['auditor'], campaignIds: [campaignA] })).id);
    agentB = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignB] })).id);
  });
  afterAll(async () => {
    await hub.cleanup();
  });

  const get = (url: string, token: string) => hub.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('pages newest first with a cursor and never mixes campaigns', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/conversations?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, agentA);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { folio: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((c) => c.folio));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...folios].reverse());
    expect(seen.every((f) => f.startsWith('LA-'))).toBe(true);
    expect((await get('/api/v1/conversations', agentB)).json().items.map((c: { folio: string }) => c.folio.slice(0, 2))).toEqual(['LB']);
  });

  it('filters by folio, status and open, and refuses a campaign the caller is not in', async () => {
    const byFolio = (await get(`/api/v1/conversations?folio=${folios[3]!.toLowerCase()}`, agentA)).json();
    expect(byFolio.items.map((c: { folio: string }) => c.folio)).toEqual([folios[3]]);
    expect((await get('/api/v1/conversations?status=resolved', agentA)).json().items).toEqual([]);
    expect((await get('/api/v1/conversations?status=queued&status=assigned&open=true', agentA)).json().items).toHaveLength(12);
    expect((await get(`/api/v1/conversations?campaignId=${campaignA}`, agentB)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await get('/api/v1/conversations?status=nonsense', agentA)).statusCode).toBe(400);
  });

  it('lets an auditor read a conversation but not reply; another campaign gets 403, an unknown folio 404', async () => {
    const detail = await get(`/api/v1/conversations/by-folio/${folios[0]}`, auditorA);
    expect(detail.statusCode).toBe(200);
    const id: string = detail.json().conversation.id;
    const reply = await hub.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: bearer(auditorA), payload: { text: 'hola' } });
    expect(reply.json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    expect((await get(`/api/v1/conversations/${id}`, agentB)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await get('/api/v1/conversations/by-folio/LA-20000101-999999', agentA)).json().error.code).toBe('HUB_ERR_CONVERSATION_NOT_FOUND');
    expect((await get('/api/v1/conversations/not-a-uuid', agentA)).statusCode).toBe(400);
    expect((await hub.app.inject({ method: 'GET', url: '/api/v1/conversations' })).json().error.code).toBe('HUB_ERR_AUTH_REQUIRED');
  });
});
