import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IvrTreeInput } from '@ventanilla/voice-bridge';
import { tokenFor } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { callEvents, createVoiceCampaign, startVoiceHub, type VoiceHub } from './voice-hub-harness.js';

/** The IVR's «transfer to another campaign» (issue 8 item 2): the call goes into that campaign's default line. */
describe('IVR transfer to another campaign', () => {
  let h: VoiceHub;
  beforeAll(async () => {
    h = await startVoiceHub();
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
  });

  it('puts the caller in the other campaign’s default queue, with a campaign transfer event', async () => {
    const target = await createVoiceCampaign(h);
    const tree: IvrTreeInput = {
      name: 'Transferencia',
      start: 'menu',
      nodes: {
        menu: { type: 'menu', prompt: { text: 'Para patrones, marque 1.' }, options: [{ digit: '1', next: 'patrones' }] },
        patrones: { type: 'transfer_campaign', prompt: { text: 'Le comunicamos con la línea de patrones.' }, campaignId: target.campaignId },
      },
    };
    const source = await createVoiceCampaign(h, { tree });
    const call = await source.dial('+525520202020');
    await call.press('1');
    expect(call.heard()).toContain('Le comunicamos con la línea de patrones.');
    const enqueue = call.enqueued();
    expect(enqueue).not.toBeNull();

    const row = await h.db.selectFrom('voice_calls').selectAll().where('call_sid', '=', call.callSid).executeTakeFirstOrThrow();
    const conversation = await h.db.selectFrom('conversations').selectAll().where('id', '=', row.conversation_id ?? '').executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ campaign_id: target.campaignId, channel_id: source.channelId, queue_id: target.defaultQueueId, status: 'queued', channel_class: 'voice' });
    expect(conversation.folio.startsWith(`${target.prefix}-`)).toBe(true);
    expect(enqueue?.queue).toBe(conversation.folio);
    // The call itself stays the source channel's (its campaign is billed for the IVR minutes).
    expect(row.campaign_id).toBe(source.campaignId);

    const transferred = await h.db.selectFrom('interaction_events').select(['payload', 'campaign_id']).where('conversation_id', '=', conversation.id).where('type', '=', 'conversation.transferred').execute();
    expect(transferred).toHaveLength(1);
    expect(transferred[0]).toMatchObject({ campaign_id: target.campaignId, payload: { kind: 'campaign', fromCampaignId: source.campaignId, toCampaignId: target.campaignId, toQueueId: target.defaultQueueId } });
    const types = (await callEvents(h.db, call.callSid)).map((e) => e.type);
    expect(types).toContain('call.enqueued');
    expect(types).not.toContain('call.transfer_unavailable');
    const pop = await h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversation.id).executeTakeFirstOrThrow();
    expect(pop.text).toContain('Transferida desde la campaña');
  });

  it('a campaign without queues: the caller hears an apology and the call is not lost', async () => {
    const empty = await createVoiceCampaign(h);
    await h.db.deleteFrom('queue_skills').where('queue_id', 'in', [empty.defaultQueueId, empty.citasQueueId]).execute();
    await h.db.deleteFrom('queues').where('campaign_id', '=', empty.campaignId).execute();
    const tree: IvrTreeInput = { name: 'Transferencia', start: 'fuera', nodes: { fuera: { type: 'transfer_campaign', campaignId: empty.campaignId } } };
    const source = await createVoiceCampaign(h, { tree });
    const call = await source.dial('+525530303030');
    expect(call.heard().join(' ')).toContain('por el momento no podemos atenderle');
    expect(call.has('Hangup')).toBe(true);
    const types = (await callEvents(h.db, call.callSid)).map((e) => e.type);
    expect(types.at(-1)).toBe('call.enqueue_failed');
  });

  it('a promoted IVR answers the very next call (the channel cache is dropped on promote)', async () => {
    const c = await createVoiceCampaign(h);
    const before = await c.dial('+525540404040');
    expect(before.heard().join(' ')).toContain('Bienvenido a la línea de atención del IMSS');
    const admin = await createUser(h.db, { roles: ['admin'] });
    const token = await tokenFor(h.db, admin.id);
    const tree: IvrTreeInput = { name: 'Nueva', start: 'aviso', nodes: { aviso: { type: 'hangup', prompt: { text: 'Línea en mantenimiento; llame más tarde.' } } } };
    const draft = await h.api('PUT', '/voice/ivr-models/draft', token, { campaignId: c.campaignId, tree });
    expect(draft.status).toBe(201);
    expect((await h.api('POST', `/voice/ivr-models/${String(draft.body['id'])}/promote`, token)).status).toBe(200);
    const after = await c.dial('+525540404041');
    expect(after.heard()).toEqual(['Línea en mantenimiento; llame más tarde.']);
    expect(after.has('Hangup')).toBe(true);
  });

  it('Twilio asking `incoming` again for a call already in line keeps its one conversation and folio', async () => {
    const tree: IvrTreeInput = { name: 'Directo', start: 'fila', nodes: { fila: { type: 'queue', prompt: { text: 'En un momento le atiende un asesor.' } } } };
    const c = await createVoiceCampaign(h, { tree });
    const call = await c.dial('+525550505050');
    const folio = call.enqueued()?.queue;
    expect(folio).toMatch(new RegExp(`^${c.prefix}-`));
    const again = await call.post(`${h.url}/webhooks/voice/${c.channelId}/incoming`, {
      AccountSid: c.accountSid,
      CallSid: call.callSid,
      CallStatus: 'ringing',
      From: '+525550505050',
      To: '+528006232323',
      Direction: 'inbound',
    });
    expect(again.status).toBe(200);
    expect(again.verbs?.find((v) => v.verb === 'Enqueue')).toMatchObject({ queue: folio });
    const conversations = await h.db.selectFrom('conversations').select(['folio', 'status']).where('channel_id', '=', c.channelId).execute();
    expect(conversations).toEqual([{ folio, status: 'queued' }]);
    const types = (await callEvents(h.db, call.callSid)).map((e) => e.type);
    expect(types.filter((t) => t === 'call.enqueued')).toHaveLength(2);
    expect(types).toContain('call.incoming_repeated');
  });
});
