import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../hub/src/auth/principal.js';
import type { LoadedChannel } from '../../hub/src/channels/channel-store.js';
import { HubError } from '../../hub/src/errors/error-registry.js';
import { deliverMessage } from '../../hub/src/outbound/deliver-message.usecase.js';
import { replyOptions } from '../../hub/src/outbound/reply-options.js';
import { sendAgentMessage } from '../../hub/src/outbound/send-agent-message.usecase.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { citizenWrites, loaded, testAdapter } from './messaging-support.js';

const TEMPLATES = [
  { name: 'recordatorio_cita', language: 'es_MX', category: 'utility', body: 'Hola {{1}}, su cita es el {{2}}.', variables: 2 },
  { name: 'folio_listo', language: 'es_MX', body: 'Su trámite {{1}} está listo.', variables: 1 },
];

/**
 * Issue 6 items 2 and 5: what an agent may send depends on the conversation's channel —
 * interactive messages and templates only where the channel carries them, free-form replies
 * only inside the customer-service window, templates only from the channel's catalogue with
 * the right number of variables.
 */
describe('agent replies: body, capabilities, service window, templates', () => {
  let hub: TestHub;
  let apiConversation: string;
  let agentToken: string;
  let principal: Principal;
  let windowChannel: LoadedChannel;
  const adapter = testAdapter({ customerServiceWindowHours: 24 });

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db, { prefix: 'MSG' });
    const { channel } = await createApiChannel(db, campaign.id, { callbackUrl: 'http://127.0.0.1:9/callback' });
    const api = await hub.ctx.channels.get(channel.id);
    if (!api) throw new Error('api channel not loaded');
    ({ conversationId: apiConversation } = await citizenWrites(db, api, 'in-api-1', '+525511110001'));
    const agent = await createUser(db, { roles: ['agent'], campaignIds: [campaign.id] });
    agentToken = await tokenFor(db, agent.id);
    principal = { userId: agent.id, email: agent.email, displayName: agent.display_name, roles: ['agent'], campaignIds: [campaign.id] };
    const { channel: row } = await createApiChannel(db, campaign.id, { name: 'Ventana' });
    windowChannel = loaded(row, adapter, { templates: TEMPLATES });
  });

  afterAll(async () => {
    await hub?.cleanup();
  });

  const post = (conversationId: string, body: object) =>
    hub.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: bearer(agentToken), payload: body });

  describe('POST /conversations/:id/messages body', () => {
    const buttons = (n: number, title = 'Sí') => Array.from({ length: n }, (_, i) => ({ id: `b${i}`, title: `${title}${i}`.slice(0, 25) }));
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Opción ${i}` }));

    it.each([
      ['nothing at all', {}],
      ['four buttons', { interactive: { text: '¿Cita?', buttons: buttons(4) } }],
      ['a button title over 20 characters', { interactive: { text: '¿Cita?', buttons: [{ id: 'a', title: 'Quiero agendar mi cita' }] } }],
      ['buttons and a list together', { interactive: { text: '¿Cita?', buttons: buttons(1), list: { button: 'Ver', sections: [{ title: 'A', rows: rows(1) }] } } }],
      ['a list of 11 rows over two sections', { interactive: { text: 'Elija', list: { button: 'Ver', sections: [{ title: 'A', rows: rows(6) }, { title: 'B', rows: rows(5).map((r) => ({ ...r, id: `x${r.id}` })) }] } } }],
      ['a row title over 24 characters', { interactive: { text: 'Elija', list: { button: 'Ver', sections: [{ title: 'A', rows: [{ id: 'r', title: 'Renovación de pasaporte ordinario' }] }] } } }],
      ['two buttons with the same id', { interactive: { text: '¿Cita?', buttons: [{ id: 'x', title: 'Sí' }, { id: 'x', title: 'No' }] } }],
      ['text together with a template', { text: 'Hola', template: { name: 'folio_listo', language: 'es_MX', variables: ['A'] } }],
      ['a template without variables array', { template: { name: 'folio_listo', language: 'es_MX' } }],
    ])('rejects %s with 400 HUB_ERR_VALIDATION', async (_name, body) => {
      const res = await post(apiConversation, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_VALIDATION' } });
    });

    it('refuses an interactive message on a channel without interactive, naming what it cannot carry', async () => {
      const res = await post(apiConversation, { interactive: { text: '¿Desea una cita?', buttons: buttons(2) } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_CHANNEL_CAPABILITY', message: expect.stringContaining('botones o listas') } });
    });

    it('refuses a template on a channel without templates', async () => {
      const res = await post(apiConversation, { template: { name: 'folio_listo', language: 'es_MX', variables: ['DH-1'] } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'HUB_ERR_CHANNEL_CAPABILITY', message: expect.stringContaining('plantillas') } });
    });

    it('still takes plain text on a channel without a window (stored pending)', async () => {
      const res = await post(apiConversation, { text: 'Con gusto le ayudo' });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ message: { status: 'pending', text: 'Con gusto le ayudo' } });
    });

    it('GET reply-options of a channel without window, interactive or templates', async () => {
      const res = await hub.app.inject({ method: 'GET', url: `/api/v1/conversations/${apiConversation}/reply-options`, headers: bearer(agentToken) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ windowHours: null, windowOpen: true, windowClosesAt: null, canSendMedia: true, canSendInteractive: false, templates: [] });
    });

    it('GET reply-options of an unknown conversation is 404', async () => {
      const res = await hub.app.inject({ method: 'GET', url: `/api/v1/conversations/00000000-0000-4000-8000-000000000000/reply-options`, headers: bearer(agentToken) });
      expect(res.statusCode).toBe(404);
    });
  });

  describe('a channel with a 24-hour window and a template catalogue', () => {
    const channels = { get: async () => windowChannel };
    const db = () => hub.ctx.db.kysely;
    let conversationId: string;

    beforeAll(async () => {
      ({ conversationId } = await citizenWrites(db(), windowChannel, 'in-win-1', '+525511110002'));
    });

    async function ageLastInbound(hours: number): Promise<void> {
      await db()
        .updateTable('conversations')
        .set({ last_inbound_at: new Date(Date.now() - hours * 3_600_000) })
        .where('id', '=', conversationId)
        .execute();
    }

    async function refusal(reply: Parameters<typeof sendAgentMessage>[3]): Promise<HubError> {
      const error = await sendAgentMessage(db(), principal, conversationId, reply, channels).then(
        () => null,
        (e: unknown) => e,
      );
      if (!(error instanceof HubError)) throw new Error(`expected a HubError, got ${String(error)}`);
      return error;
    }

    it('inside the window: free text, interactive and templates go out; reply-options says open', async () => {
      const fresh = await db().selectFrom('conversations').select('last_inbound_at').where('id', '=', conversationId).executeTakeFirstOrThrow();
      expect(replyOptions(windowChannel, fresh.last_inbound_at, new Date())).toMatchObject({ windowOpen: true });
      await ageLastInbound(23);
      const text = await sendAgentMessage(db(), principal, conversationId, { text: 'Hola' }, channels);
      expect(text.message).toMatchObject({ content_type: 'text', text: 'Hola', meta: null });
      const interactive = { text: '¿Confirma su cita?', buttons: [{ id: 'si', title: 'Sí' }, { id: 'no', title: 'No' }] };
      const sent = await sendAgentMessage(db(), principal, conversationId, { interactive }, channels);
      expect(sent.message).toMatchObject({ content_type: 'interactive', text: '¿Confirma su cita?', meta: { interactive } });
      const row = await db().selectFrom('conversations').select('last_inbound_at').where('id', '=', conversationId).executeTakeFirstOrThrow();
      const options = replyOptions(windowChannel, row.last_inbound_at, new Date());
      expect(options).toMatchObject({ windowHours: 24, windowOpen: true, canSendInteractive: true, canSendMedia: true });
      expect(Date.parse(options.windowClosesAt ?? '')).toBeCloseTo(Date.now() + 3_600_000, -4);
      expect(options.templates).toEqual([TEMPLATES[0], TEMPLATES[1]]);
    });

    it('outside the window: text and interactive are refused with 409 HUB_ERR_WINDOW_CLOSED, a template is stored rendered', async () => {
      await ageLastInbound(25);
      const before = await db().selectFrom('messages').select(db().fn.countAll<string>().as('n')).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
      const refused = await refusal({ text: '¿Sigue ahí?' });
      expect(refused).toMatchObject({ code: 'HUB_ERR_WINDOW_CLOSED', statusCode: 409 });
      expect(refused.message).toBe('Han pasado más de 24 h desde el último mensaje del ciudadano: envíe una plantilla aprobada. / More than 24 h since the citizen\'s last message: send an approved template.');
      expect(await refusal({ interactive: { text: '¿Cita?', buttons: [{ id: 'a', title: 'Sí' }] } })).toMatchObject({ code: 'HUB_ERR_WINDOW_CLOSED' });
      const after = await db().selectFrom('messages').select(db().fn.countAll<string>().as('n')).where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);

      const template = { name: 'recordatorio_cita', language: 'es_MX', variables: ['Ana', '27 de noviembre'] };
      const { message } = await sendAgentMessage(db(), principal, conversationId, { template }, channels);
      expect(message).toMatchObject({ content_type: 'text', text: 'Hola Ana, su cita es el 27 de noviembre.', status: 'pending', meta: { template } });
      expect(replyOptions(windowChannel, new Date(Date.now() - 25 * 3_600_000), new Date())).toMatchObject({ windowOpen: false });
    });

    it('a conversation the citizen never wrote in counts as outside the window', () => {
      expect(replyOptions(windowChannel, null, new Date())).toMatchObject({ windowHours: 24, windowOpen: false, windowClosesAt: null });
    });

    it('refuses a template not in the catalogue, or with the wrong number of variables', async () => {
      expect(await refusal({ template: { name: 'no_existe', language: 'es_MX', variables: [] } })).toMatchObject({ code: 'HUB_ERR_TEMPLATE_UNKNOWN', statusCode: 400 });
      expect(await refusal({ template: { name: 'folio_listo', language: 'en_US', variables: ['X'] } })).toMatchObject({ code: 'HUB_ERR_TEMPLATE_UNKNOWN' });
      const wrong = await refusal({ template: { name: 'recordatorio_cita', language: 'es_MX', variables: ['Ana'] } });
      expect(wrong).toMatchObject({ code: 'HUB_ERR_TEMPLATE_VARIABLES', statusCode: 400, details: { expected: 2, received: 1 } });
    });

    it('the outbound worker rebuilds the template and the interactive message from meta', async () => {
      await ageLastInbound(1);
      const interactive = { text: 'Elija un trámite', list: { button: 'Ver trámites', sections: [{ title: 'Pasaporte', rows: [{ id: 'p1', title: 'Primera vez', description: 'Mayores de edad' }] }] } };
      const a = await sendAgentMessage(db(), principal, conversationId, { interactive }, channels);
      const template = { name: 'folio_listo', language: 'es_MX', variables: ['DH-20261126-000009'] };
      const b = await sendAgentMessage(db(), principal, conversationId, { template }, channels);
      adapter.encoded.length = 0;
      for (const id of [a.message.id, b.message.id]) {
        expect(await deliverMessage(db(), channels, id, { attempt: 1, finalAttempt: true, fetch })).toMatchObject({ outcome: 'sent' });
      }
      expect(adapter.encoded.map((m) => m.content)).toEqual([
        { type: 'interactive', ...interactive },
        { type: 'template', template, text: 'Su trámite DH-20261126-000009 está listo.' },
      ]);
    });

    it('a channel that lost a capability since the reply was stored fails it for good, translated', async () => {
      const { message } = await sendAgentMessage(db(), principal, conversationId, { interactive: { text: '¿Cita?', buttons: [{ id: 'a', title: 'Sí' }] } }, channels);
      const narrowed = { ...windowChannel, adapter: testAdapter({ interactive: false }) };
      expect(await deliverMessage(db(), { get: async () => narrowed }, message.id, { attempt: 1, finalAttempt: true, fetch })).toMatchObject({ outcome: 'failed' });
      const row = await db().selectFrom('messages').select(['status', 'error_code', 'error_reason']).where('id', '=', message.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'failed', error_code: 'capability_missing', error_reason: expect.stringContaining('Este canal no puede enviar este tipo de mensaje') });
    });
  });
});
