import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess, type MessageStatusChangedPayload } from '@ventanilla/hub';
import type { WidgetMessage, WidgetSessionState, WidgetSurvey } from '../../hub/src/webchat/widget.contract.js';
import { bearer, connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { connectWidget, createWebchatChannel, FOREIGN_ORIGIN, OTHER_ORIGIN, startVisitor, waitFor, widgetCall, type WidgetClient } from './widget-harness.js';

/**
 * A citizen chats from a web page with an agent (issue 5 items 2–3): the visitor's message goes
 * through the ingest pipeline into a web chat conversation, the agent's reply reaches every tab
 * of the visitor with the agent's name, typing and read receipts flow both ways, a reload resumes
 * the same history, and ending the chat, the transcript and the survey close it.
 */
describe('web chat conversation', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', ROUTER_SWEEP_INTERVAL_MS: '200' });
  let hub: HubProcess;
  let url: string;
  let campaignId: string;
  let channelId: string;
  let agent: { id: string; token: string };
  const sockets: { disconnect(): unknown }[] = [];

  beforeAll(async () => {
    hub = await startHubProcess(config);
    url = hub.url ?? '';
    const db = hub.ctx.db.kysely;
    campaignId = (await createCampaign(db)).id;
    channelId = (await createWebchatChannel(db, campaignId)).id;
    const user = await createUser(db, { roles: ['agent'], campaignIds: [campaignId], name: 'Luisa Pérez' });
    agent = { id: user.id, token: await tokenFor(db, user.id) };
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await hub?.stop();
    await dropNamespaces(config);
  });

  const track = <T extends { disconnect(): unknown }>(socket: T): T => {
    sockets.push(socket);
    return socket;
  };
  const widget = async (token: string, origin?: string) => track(await connectWidget(url, token, origin));
  const staff = async (token: string): Promise<StaffClient> => track(await connectStaff(url, token));
  const say = (token: string, text: string, clientMessageId = randomUUID()) => widgetCall(hub.app!, { url: '/messages', token, body: { clientMessageId, text } });
  const session = async (token: string) => (await widgetCall(hub.app!, { url: '/session', token })).json<WidgetSessionState>();
  const conversationOf = (visitorId: string) =>
    waitFor(
      () =>
        hub.ctx.db.kysely
          .selectFrom('conversations as c')
          .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
          .selectAll('c')
          .where('i.kind', '=', 'external')
          .where('i.value', '=', visitorId)
          .where('c.channel_id', '=', channelId)
          .executeTakeFirst(),
      'the conversation',
    );
  const messagesOf = (socket: WidgetClient) => {
    const got: WidgetMessage[] = [];
    socket.on('message.created', (message) => void got.push(message));
    return got;
  };
  const agentTypingOf = (socket: WidgetClient) => {
    const got: { typing: boolean; displayName: string | null }[] = [];
    socket.on('agent.typing', (signal) => void got.push(signal));
    return got;
  };

  it('refuses sockets without a valid token or from another site', async () => {
    const { visitorToken } = await startVisitor(hub.app!, channelId);
    await expect(widget('not-a-token')).rejects.toThrow('HUB_ERR_WIDGET_TOKEN_INVALID');
    await expect(widget(visitorToken, FOREIGN_ORIGIN)).rejects.toThrow('HUB_ERR_WIDGET_ORIGIN');
    await expect(widget(visitorToken, OTHER_ORIGIN)).rejects.toThrow('HUB_ERR_WIDGET_ORIGIN');
  });

  it('carries a chat between a visitor (two tabs) and the agent, with typing, read receipts and a resumable history', async () => {
    const db = hub.ctx.db.kysely;
    const visitor = await startVisitor(hub.app!, channelId, { name: 'Ana López', email: 'ana@correo.mx' });
    const tab1 = await widget(visitor.visitorToken);
    const tab2 = await widget(visitor.visitorToken);
    const seen1 = messagesOf(tab1);
    const seen2 = messagesOf(tab2);

    const clientMessageId = randomUUID();
    const sent = await say(visitor.visitorToken, 'Hola, necesito una cita', clientMessageId);
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toEqual({ accepted: true });
    // The other tab shows it at once, before the hub has even stored it.
    await expect.poll(() => seen2.map((m) => m.clientMessageId)).toContain(clientMessageId);
    expect(seen1[0]).toMatchObject({ sender: 'citizen', text: 'Hola, necesito una cita', clientMessageId });
    // A retried POST with the same client id is one message.
    expect((await say(visitor.visitorToken, 'Hola, necesito una cita', clientMessageId)).statusCode).toBe(202);

    const conversation = await conversationOf(visitor.visitorId);
    const identities = await db.selectFrom('contact_identities').select(['kind', 'value']).where('contact_id', '=', conversation.contact_id).execute();
    expect(identities).toEqual([{ kind: 'external', value: visitor.visitorId }]);
    const contact = await db.selectFrom('contacts').select('display_name').where('id', '=', conversation.contact_id).executeTakeFirstOrThrow();
    expect(contact.display_name).toBe('Ana López');
    await waitFor(async () => (await db.selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).execute()).length === 1, 'one stored message');

    // Waiting in line: place and estimated wait from the router's queue treatment.
    await db
      .updateTable('conversations')
      .set({
        treatment: JSON.stringify({ position: 3, estimatedWaitMs: 125_400, method: 'rate', display: { position: 3, wait: { kind: 'minutes', minutes: 3 } }, updatedAt: new Date().toISOString() }),
      })
      .where('id', '=', conversation.id)
      .execute();
    const waiting = await session(visitor.visitorToken);
    expect(waiting.conversation).toMatchObject({ folio: conversation.folio, status: 'waiting', queue: { position: 3, estimatedWaitSeconds: 125 }, agent: null });

    for (const tab of [tab1, tab2]) expect(await tab.emitWithAck('session.join', {})).toEqual({ ok: true });
    await db.updateTable('conversations').set({ status: 'assigned', assignee_id: agent.id, treatment: null }).where('id', '=', conversation.id).execute();

    // Typing, both ways.
    const agentSocket = await staff(agent.token);
    expect(await agentSocket.emitWithAck('conversation.watch', { conversationId: conversation.id })).toEqual({ ok: true });
    const contactTyping: unknown[] = [];
    agentSocket.on('contact.typing', (p) => void contactTyping.push(p));
    tab1.emit('visitor.typing', { typing: true });
    await expect.poll(() => contactTyping).toEqual([{ conversationId: conversation.id, typing: true }]);
    const agentTyping = agentTypingOf(tab2);
    agentSocket.emit('conversation.typing', { conversationId: conversation.id, typing: true });
    await expect.poll(() => agentTyping).toEqual([{ typing: true, displayName: 'Luisa Pérez' }]);
    // Someone who is not the assignee types nothing into the citizen's window.
    const other = await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] });
    const otherSocket = await staff(await tokenFor(db, other.id));
    otherSocket.emit('conversation.typing', { conversationId: conversation.id, typing: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(agentTyping).toHaveLength(1);

    // The agent's reply reaches both tabs with the agent's name.
    const statuses: MessageStatusChangedPayload[] = [];
    agentSocket.on('message.status_changed', (p) => void statuses.push(p));
    // Read receipt as the widget sends it: the moment the reply is shown, which can be before the
    // outbound worker has committed it as sent. The agent's tick still turns read.
    const acks: unknown[] = [];
    tab1.on('message.created', (m) => {
      if (m.sender === 'agent') void tab1.emitWithAck('messages.read', { messageIds: [m.id] }).then((ack) => acks.push(ack));
    });
    const reply = await fetch(`${url}/api/v1/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: { ...bearer(agent.token), 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Con gusto, ¿me da su NSS?' }),
    });
    expect(reply.status).toBe(202);
    const replyId = ((await reply.json()) as { message: { id: string } }).message.id;
    for (const seen of [seen1, seen2]) {
      await expect.poll(() => seen.find((m) => m.id === replyId)).toMatchObject({ sender: 'agent', senderName: 'Luisa Pérez', text: 'Con gusto, ¿me da su NSS?', clientMessageId: null });
    }
    await expect.poll(() => acks).toEqual([{ ok: true }]);
    await expect.poll(() => statuses.map((s) => s.status), { timeout: 10_000 }).toEqual(['sent', 'read']);
    const read = await db.selectFrom('messages').select(['status', 'read_at']).where('id', '=', replyId).executeTakeFirstOrThrow();
    expect(read.status).toBe('read');
    expect(await tab1.emitWithAck('messages.read', { messageIds: ['nope'] })).toMatchObject({ ok: false, code: 'HUB_ERR_VALIDATION' });

    // A reload: a new socket with the same token, and the history from GET /session.
    tab1.disconnect();
    const reloaded = await widget(visitor.visitorToken);
    const again = messagesOf(reloaded);
    const state = await session(visitor.visitorToken);
    expect(state).toMatchObject({
      visitorId: visitor.visitorId,
      name: 'Ana López',
      conversation: { folio: conversation.folio, status: 'with_agent', queue: null, agent: { displayName: 'Luisa Pérez' }, closedAt: null, survey: { due: false, done: false } },
    });
    expect(state.messages.map((m) => [m.sender, m.senderName, m.text, m.clientMessageId])).toEqual([
      ['citizen', null, 'Hola, necesito una cita', clientMessageId],
      ['agent', 'Luisa Pérez', 'Con gusto, ¿me da su NSS?', null],
    ]);
    // Nothing internal reaches the browser: no staff ids, no contact id.
    const raw = JSON.stringify(state);
    expect(raw).not.toContain(agent.id);
    expect(raw).not.toContain(conversation.contact_id);
    expect(raw).not.toContain(conversation.id);
    await say(visitor.visitorToken, 'Es 12345678901');
    await expect.poll(() => again.map((m) => m.text)).toContain('Es 12345678901');

    // The transcript names who wrote each line.
    await waitFor(async () => (await db.selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).execute()).length === 3, 'three messages');
    const txt = await widgetCall(hub.app!, { url: '/transcript?format=txt', token: visitor.visitorToken });
    expect(txt.statusCode).toBe(200);
    expect(txt.headers['content-disposition']).toContain(`transcript-${conversation.folio}.txt`);
    expect(txt.body).toContain(`Conversación ${conversation.folio}`);
    expect(txt.body).toMatch(/\] Ciudadano: Hola, necesito una cita/);
    expect(txt.body).toMatch(/\] Luisa Pérez: Con gusto, ¿me da su NSS\?/);
    const html = await widgetCall(hub.app!, { url: '/transcript?format=html', token: visitor.visitorToken });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<strong>Luisa Pérez</strong>');

    // The visitor ends the chat: the agent sees it; the agent still holds it (answered), the widget shows it ended.
    const routed: { change: string }[] = [];
    agentSocket.on('conversation.routed', (p) => void routed.push(p));
    const ended = await widgetCall(hub.app!, { url: '/end', token: visitor.visitorToken, body: {} });
    expect(ended.json()).toEqual({ ended: true });
    await expect.poll(() => routed.map((r) => r.change)).toContain('contact_ended');
    const event = await db.selectFrom('interaction_events').select(['actor_type']).where('conversation_id', '=', conversation.id).where('type', '=', 'conversation.contact_ended').execute();
    expect(event).toEqual([{ actor_type: 'contact' }]);
    const after = await session(visitor.visitorToken);
    expect(after.conversation).toMatchObject({ status: 'ended', survey: { due: true, done: false } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await db.selectFrom('conversations').select('status').where('id', '=', conversation.id).executeTakeFirstOrThrow()).status).toBe('assigned');

    // The exit survey of that conversation, once.
    const survey = await widgetCall(hub.app!, { url: '/survey', token: visitor.visitorToken });
    expect(survey.statusCode).toBe(200);
    expect(survey.json<WidgetSurvey>()).toMatchObject({ folio: conversation.folio, rating: true, done: false });
    const answers = { rating: 5, answers: { trato_amable: true }, agentRatings: [] };
    expect((await widgetCall(hub.app!, { url: '/survey', token: visitor.visitorToken, body: answers })).json()).toEqual({ recorded: true });
    expect((await widgetCall(hub.app!, { url: '/survey', token: visitor.visitorToken, body: answers })).statusCode).toBe(409);
    expect((await session(visitor.visitorToken)).conversation?.survey).toEqual({ due: false, done: true });
  });

  it('abandons a conversation no agent answered when the visitor ends it, and keeps the survey for the end', async () => {
    const visitor = await startVisitor(hub.app!, channelId);
    expect((await widgetCall(hub.app!, { url: '/survey', token: visitor.visitorToken })).json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_NO_CONVERSATION' } });
    await say(visitor.visitorToken, 'Hola');
    const conversation = await conversationOf(visitor.visitorId);
    expect((await widgetCall(hub.app!, { url: '/survey', token: visitor.visitorToken })).json()).toMatchObject({ error: { code: 'HUB_ERR_WIDGET_SURVEY_NOT_DUE' } });
    expect((await widgetCall(hub.app!, { url: '/end', token: visitor.visitorToken, body: {} })).statusCode).toBe(200);
    const abandoned = await waitFor(
      async () => (await hub.ctx.db.kysely.selectFrom('conversations').select(['status', 'closed_at']).where('id', '=', conversation.id).executeTakeFirst())?.status === 'abandoned',
      'abandoned',
    );
    expect(abandoned).toBe(true);
    const state = await session(visitor.visitorToken);
    expect(state.conversation).toMatchObject({ status: 'ended', closedAt: expect.any(String) });
    // Ending again changes nothing.
    expect((await widgetCall(hub.app!, { url: '/end', token: visitor.visitorToken, body: {} })).json()).toEqual({ ended: true });
  });
});
