import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationOfferedPayload, NoteCreatedPayload, NoteView, TimelineItem } from '@ventanilla/hub';
import { createUser } from '../support/factories.js';
import { connectStaff, tokenFor, type StaffClient } from '../support/auth.js';
import { createQueue, createSkill, setAgentSkills, setCampaignRouting } from '../support/router-factories.js';
import { createInboxCampaign, startInboxHub, waitFor, type InboxCampaign, type InboxHub } from './inbox-harness.js';

/**
 * Issue 4: one timeline per conversation (messages, private notes, routing events, oldest
 * first), and private notes that reach the campaign's staff live but never the citizen.
 */
describe('conversation timeline and private notes', () => {
  let h: InboxHub;
  let campaign: InboxCampaign;
  let agent: { id: string; token: string; socket: StaffClient; offers: ConversationOfferedPayload[] };
  let supervisorToken: string;
  let auditorToken: string;
  let otherAgentToken: string;
  let staffHere: StaffClient;
  let staffElsewhere: StaffClient;
  const heardHere: NoteCreatedPayload[] = [];
  const heardElsewhere: NoteCreatedPayload[] = [];
  let conversation: { id: string; folio: string };

  const NOTE_1 = 'Nota privada: el ciudadano ya envió su CURP por otro medio';
  const NOTE_2 = 'Revisar con jurídico antes de responder';
  const REPLY = 'Buenos días, con gusto le ayudo con su trámite.';

  beforeAll(async () => {
    h = await startInboxHub();
    campaign = await createInboxCampaign(h, 'TLN');
    const other = await createInboxCampaign(h, 'TLX');
    await setCampaignRouting(h.db, campaign.id, { offerTimeoutSeconds: 60, afterContactWorkMaxSeconds: 0 });
    const general = await createSkill(h.db, campaign.id, 'general');
    await createQueue(h.db, campaign.id, { name: 'General', skills: { [general]: 1 }, isDefault: true });

    const agentUser = await createUser(h.db, { roles: ['agent'], campaignIds: [campaign.id], name: 'Laura Méndez' });
    await setAgentSkills(h.db, agentUser.id, { [general]: 3 });
    const token = await tokenFor(h.db, agentUser.id);
    const socket = await connectStaff(h.url, token);
    const offers: ConversationOfferedPayload[] = [];
    socket.on('conversation.offered', (p) => {
      if (p.agentId === agentUser.id) offers.push(p);
    });
    agent = { id: agentUser.id, token, socket, offers };

    supervisorToken = await tokenFor(h.db, (await createUser(h.db, { roles: ['supervisor'], campaignIds: [campaign.id], name: 'Sofía Supervisora' })).id);
    auditorToken = await tokenFor(h.db, (await createUser(h.db, { roles: ['auditor'], campaignIds: [campaign.id] })).id);
    otherAgentToken = await tokenFor(h.db, (await createUser(h.db, { roles: ['agent'], campaignIds: [other.id] })).id);
    staffHere = await connectStaff(h.url, supervisorToken);
    staffElsewhere = await connectStaff(h.url, await tokenFor(h.db, (await createUser(h.db, { roles: ['supervisor'], campaignIds: [other.id] })).id));
    staffHere.on('note.created', (p) => heardHere.push(p));
    staffElsewhere.on('note.created', (p) => heardElsewhere.push(p));

    // The agent is available, a citizen writes, the router offers, the agent accepts.
    if ((await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' })).status !== 200) throw new Error('agent state not set');
    conversation = await campaign.citizenWrites('+52 55 6100 0001');
    await waitFor(() => agent.offers.length === 1, 'the offer');
    const accepted = await h.api('POST', `/offers/${agent.offers[0]!.offerId}/accept`, agent.token);
    if (accepted.status !== 200) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  });

  afterAll(async () => {
    for (const s of [agent?.socket, staffHere, staffElsewhere]) s?.disconnect();
    await h?.cleanup();
  });

  const timeline = async (token: string) => h.api('GET', `/conversations/${conversation.id}/timeline`, token);

  it('an agent adds a private note: 201 with the note, the campaign’s staff hear it live, another campaign does not', async () => {
    const res = await h.api('POST', `/conversations/${conversation.id}/notes`, agent.token, { text: `  ${NOTE_1}  ` });
    expect(res.status).toBe(201);
    const note = res.body['note'] as NoteView;
    expect(note).toMatchObject({ conversationId: conversation.id, authorId: agent.id, authorName: 'Laura Méndez', text: NOTE_1 });
    expect(Date.parse(note.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    await expect.poll(() => heardHere.length, { timeout: 5000 }).toBe(1);
    expect(heardHere[0]).toMatchObject({ campaignId: campaign.id, conversationId: conversation.id, note });
    expect(heardHere[0]!.eventId).toMatch(/^\d+$/);
    // Published once to both rooms: by the time the campaign heard it, the other would have too.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heardElsewhere).toEqual([]);

    const events = await h.db.selectFrom('interaction_events').selectAll().where('conversation_id', '=', conversation.id).where('type', '=', 'note.added').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_type: 'agent', actor_id: agent.id, payload: { noteId: note.id, length: NOTE_1.length } });
    // The event log keeps ids and sizes, not the private text.
    expect(JSON.stringify(events[0]!.payload)).not.toContain('CURP');
  });

  it('a note is never sent to the citizen and is not a message', async () => {
    const reply = await h.api('POST', `/conversations/${conversation.id}/messages`, agent.token, { text: REPLY });
    expect(reply.status).toBe(202);
    expect((await h.api('POST', `/conversations/${conversation.id}/notes`, supervisorToken, { text: NOTE_2 })).status).toBe(201);
    // The reply reaches the channel's callback; no note ever does.
    await expect.poll(() => h.calls.filter((c) => c.body.conversationId === conversation.id).length, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = h.calls.filter((c) => c.body.conversationId === conversation.id);
    expect(sent.map((c) => c.body.content.text)).toEqual([REPLY]);
    expect(sent[0]!.signatureOk).toBe(true);
    expect(JSON.stringify(h.calls)).not.toContain('jurídico');
    expect(JSON.stringify(h.calls)).not.toContain('CURP');

    const detail = await h.api('GET', `/conversations/${conversation.id}`, agent.token);
    const texts = (detail.body['messages'] as { text: string | null }[]).map((m) => m.text);
    expect(texts).toContain(REPLY);
    expect(texts.some((t) => t?.includes('CURP') || t?.includes('jurídico'))).toBe(false);
    const stored = await h.db.selectFrom('messages').select('text').where('conversation_id', '=', conversation.id).execute();
    expect(stored.some((m) => m.text === NOTE_1 || m.text === NOTE_2)).toBe(false);
  });

  it('the timeline interleaves messages, notes and routing events, oldest first', async () => {
    const res = await timeline(agent.token);
    expect(res.status).toBe(200);
    const items = res.body['items'] as TimelineItem[];
    const shape = items.map((item) =>
      item.kind === 'message' ? `message:${item.message.direction}` : item.kind === 'note' ? `note:${item.note.text}` : `event:${item.event.type}`,
    );
    // The opening is stamped with the first message's instant and shown just before it.
    expect(shape).toEqual([
      'event:conversation.opened',
      'message:inbound',
      'event:conversation.queued',
      'event:conversation.offered',
      'event:conversation.assigned',
      `note:${NOTE_1}`,
      'message:outbound',
      `note:${NOTE_2}`,
    ]);
    const ats = items.map((item) => Date.parse(item.at));
    expect(ats).toEqual([...ats].sort((a, b) => a - b));

    const assigned = items.find((i) => i.kind === 'event' && i.event.type === 'conversation.assigned');
    expect(assigned).toMatchObject({ kind: 'event', event: { actorType: 'agent', actorId: agent.id, payload: { agentId: agent.id, via: 'accept' } } });
    const outbound = items.find((i) => i.kind === 'message' && i.message.direction === 'outbound');
    expect(outbound).toMatchObject({ kind: 'message', message: { text: REPLY, senderType: 'agent', senderId: agent.id, contentType: 'text' } });
    const second = items.at(-1);
    expect(second).toMatchObject({ kind: 'note', note: { authorName: 'Sofía Supervisora', text: NOTE_2 } });
    // No message.* or note.* events: the message and the note themselves are there.
    expect(items.some((i) => i.kind === 'event' && /^(message|note)\./.test(i.event.type))).toBe(false);
  });

  it('an auditor reads the timeline but may not add notes; other campaigns get 403; bad input 400', async () => {
    expect((await timeline(auditorToken)).status).toBe(200);
    expect((await h.api('POST', `/conversations/${conversation.id}/notes`, auditorToken, { text: 'hola' })).body).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_ROLE' } });
    expect((await timeline(otherAgentToken)).body).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' } });
    expect((await h.api('POST', `/conversations/${conversation.id}/notes`, otherAgentToken, { text: 'hola' })).body).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' } });
    expect((await h.api('POST', `/conversations/${conversation.id}/notes`, agent.token, { text: '   ' })).status).toBe(400);
    expect((await h.api('POST', `/conversations/${conversation.id}/notes`, agent.token, { text: 'x'.repeat(4001) })).status).toBe(400);
    expect((await h.api('POST', `/conversations/${conversation.id}/notes`, agent.token, { text: 'x'.repeat(4000) })).status).toBe(201);
    expect((await h.api('GET', '/conversations/00000000-0000-4000-8000-000000000000/timeline', agent.token)).body).toMatchObject({ error: { code: 'HUB_ERR_CONVERSATION_NOT_FOUND' } });
    expect((await h.api('GET', `/conversations/${conversation.id}/timeline`)).status).toBe(401);
  });
});
