import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';

/** An administrator sets up an SMS channel: Twilio credentials typed in, never shown back. */
describe('SMS channel administration', () => {
  let hub: TestHub;
  let admin: string;
  let campaignId: string;

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db)).id;
    admin = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
  });
  afterAll(() => hub?.cleanup());

  const create = (settings: Record<string, unknown>, secrets?: Record<string, string>) =>
    hub.app.inject({ method: 'POST', url: `/api/v1/campaigns/${campaignId}/channels`, headers: bearer(admin), payload: { kind: 'sms', name: 'SMS 55 5000 1000', settings, ...(secrets ? { secrets } : {}) } });

  it('creates the channel with its webhook path; the auth token is stored, not returned', async () => {
    const res = await create({ accountSid: ACCOUNT_SID, from: '+525550001000', webhookBaseUrl: 'https://ventanilla.example.gob.mx' }, { authToken: 'tok-0123456789abcdef' });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ id: string; webhookPath: string; settings: Record<string, unknown> }>();
    expect(body.webhookPath).toBe(`/webhooks/sms/${body.id}`);
    expect(body.settings).toMatchObject({ accountSid: ACCOUNT_SID, from: '+525550001000', statusCallback: true });
    expect(res.body).not.toContain('tok-0123456789abcdef');
    const row = await hub.ctx.db.kysely.selectFrom('channels').select('secrets').where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.secrets).toMatchObject({ authToken: 'tok-0123456789abcdef' });
  });

  it('refuses settings without a sender, a bad Account SID or a number that is not E.164', async () => {
    const noSender = await create({ accountSid: ACCOUNT_SID }, { authToken: 't' });
    expect(noSender.statusCode).toBe(400);
    expect(noSender.body).toContain('messagingServiceSid');
    expect((await create({ accountSid: 'AC123', from: '+525550001000' }, { authToken: 't' })).statusCode).toBe(400);
    expect((await create({ accountSid: ACCOUNT_SID, from: '55 5000 1000' }, { authToken: 't' })).statusCode).toBe(400);
  });
});
