import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenMessageId, rawMail, startEmailHarness, waitFor, type EmailCampaign, type EmailHarness, type StoredMail } from './email-harness.js';

const CITIZEN = 'Andrea Ruiz <andrea.ruiz@correo.ciudadano.test>';
const CITIZEN_ADDRESS = 'andrea.ruiz@correo.ciudadano.test';

/**
 * Issue 5 items 8 and 10, end to end against the real servers: the agent's reply reaches the
 * citizen in their thread (In-Reply-To, References, folio in the subject); the citizen's answer
 * comes back into the same conversation — by headers while open, by folio once resolved — and a
 * forged reference to someone else's conversation opens a new one and shows nothing of it.
 */
describe('e-mail threading end to end', () => {
  let h: EmailHarness;
  let c: EmailCampaign;
  let first: { messageId: string; stored: StoredMail };
  let agentReply: { messageId: string; subject: string };

  beforeAll(async () => {
    h = await startEmailHarness({ autoAck: false });
    c = h.campaign;
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  async function citizenWrites(input: { subject: string; text: string; inReplyTo?: string; references?: string[]; from?: string }, to = c) {
    const messageId = citizenMessageId();
    await h.deliver(rawMail({ from: input.from ?? CITIZEN, to: to.address, messageId, ...input }), to);
    await h.read(to);
    return { messageId, stored: await h.waitForMessage(messageId) };
  }

  async function conversation(id: string) {
    return h.db.selectFrom('conversations').select(['id', 'folio', 'status', 'closed_at', 'campaign_id', 'contact_id']).where('id', '=', id).executeTakeFirstOrThrow();
  }

  it('sends the agent reply in the citizen’s thread with the folio in the subject', async () => {
    first = await citizenWrites({ subject: 'Corrección de acta de nacimiento', text: 'Mi acta tiene un error en el apellido.' });
    // The conversation is the agent's (what the router would do).
    await h.db.updateTable('conversations').set({ assignee_id: h.agent.id, status: 'assigned' }).where('id', '=', first.stored.conversationId).execute();

    const res = await h.api('POST', `/conversations/${first.stored.conversationId}/messages`, { text: 'Con gusto. Envíenos una copia de su identificación.' });
    expect(res.status).toBe(202);
    const sent = await h.smtp.waitFor((m) => m.to.includes(CITIZEN_ADDRESS) && (m.parsed.text ?? '').includes('copia de su identificación'));
    const folio = first.stored.folio;
    expect(sent.parsed.subject).toBe(`Re: Corrección de acta de nacimiento [${folio}]`);
    expect(sent.header('in-reply-to')).toBe(first.messageId);
    expect(sent.header('references')).toContain(first.messageId);
    expect(sent.parsed.from?.value[0]?.address).toBe(c.address);
    expect(sent.header('auto-submitted')).toBeUndefined();
    agentReply = { messageId: sent.header('message-id') ?? '', subject: sent.parsed.subject ?? '' };
    expect(agentReply.messageId).toMatch(/^<.+@.+>$/);
    await waitFor(async () => {
      const row = await h.db.selectFrom('messages').select(['status', 'provider_message_id']).where('conversation_id', '=', first.stored.conversationId).where('direction', '=', 'outbound').executeTakeFirst();
      return row?.status === 'sent' && row.provider_message_id === agentReply.messageId;
    }, 'reply recorded as sent with its Message-ID');
  });

  it('files the citizen’s answer into the same conversation', async () => {
    const answer = await citizenWrites({ subject: `Re: ${agentReply.subject}`, text: 'Adjunto mi identificación.', inReplyTo: agentReply.messageId, references: [first.messageId, agentReply.messageId] });
    expect(answer.stored.conversationId).toBe(first.stored.conversationId);
    expect(answer.stored.meta).toMatchObject({ inReplyTo: agentReply.messageId, folio: first.stored.folio });
  });

  it('reopens the resolved conversation for a reply naming only the folio in its subject', async () => {
    const resolved = await h.api('POST', `/conversations/${first.stored.conversationId}/resolve`, { reason: 'resuelto' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect((await conversation(first.stored.conversationId)).closed_at).not.toBeNull();

    // A client that drops every threading header: the folio alone finds the conversation.
    const later = await citizenWrites({ subject: `Sigo esperando [${first.stored.folio}]`, text: '¿Ya quedó mi corrección?' });
    expect(later.stored.conversationId).toBe(first.stored.conversationId);
    const reopened = await conversation(first.stored.conversationId);
    expect(reopened.closed_at).toBeNull();
    expect(reopened.status).toBe('queued');
    expect(reopened.folio).toBe(first.stored.folio);
    const events = await h.db.selectFrom('interaction_events').select('type').where('conversation_id', '=', first.stored.conversationId).where('type', '=', 'conversation.reopened').execute();
    expect(events).toHaveLength(1);
  });

  it('opens a new conversation for a forged reference to another campaign’s conversation, and leaks nothing', async () => {
    const other = await h.addCampaign();
    const elsewhere = await citizenWrites({ from: 'Otro Ciudadano <otro@correo.ciudadano.test>', subject: 'Asunto privado de otra dependencia', text: 'Mi número de seguridad social es 12345678901.' }, other);
    const elsewhereConversation = await conversation(elsewhere.stored.conversationId);
    await h.db.updateTable('conversations').set({ status: 'resolved', closed_at: new Date() }).where('id', '=', elsewhere.stored.conversationId).execute();

    // Written to this campaign's mailbox, pretending to continue the other campaign's thread.
    const forged = await citizenWrites({
      from: 'Otro Ciudadano <otro@correo.ciudadano.test>',
      subject: `Re: Asunto privado [${elsewhereConversation.folio}]`,
      text: 'Continúo el trámite',
      inReplyTo: elsewhere.messageId,
      references: [elsewhere.messageId],
    });
    expect(forged.stored.conversationId).not.toBe(elsewhere.stored.conversationId);
    const opened = await conversation(forged.stored.conversationId);
    expect(opened.campaign_id).toBe(c.campaignId);
    expect(opened.folio).not.toBe(elsewhereConversation.folio);
    expect((await conversation(elsewhere.stored.conversationId)).closed_at).not.toBeNull();

    // What this campaign's agent sees of the new conversation: only the forged mail itself.
    const timeline = await h.api('GET', `/conversations/${forged.stored.conversationId}/timeline`);
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(timeline.body)).not.toContain('12345678901');
    // ...and an agent's reply threads to the forged mail only, never to the other campaign's.
    await h.db.updateTable('conversations').set({ assignee_id: h.agent.id, status: 'assigned' }).where('id', '=', forged.stored.conversationId).execute();
    expect((await h.api('POST', `/conversations/${forged.stored.conversationId}/messages`, { text: 'Este buzón es de otra dependencia.' })).status).toBe(202);
    const reply = await h.smtp.waitFor((m) => m.to.includes('otro@correo.ciudadano.test') && (m.parsed.text ?? '').includes('otra dependencia'));
    expect(reply.header('in-reply-to')).toBe(forged.messageId);
    expect(reply.parsed.subject).toContain(`[${opened.folio}]`);
    expect(reply.raw.toString('utf8')).not.toContain('12345678901');
  });

  it('opens a new conversation for a forged reference to another citizen’s conversation', async () => {
    // `first` is Andrea's (reopened above); close it again so a reference could reopen it.
    await h.db.updateTable('conversations').set({ status: 'resolved', closed_at: new Date() }).where('id', '=', first.stored.conversationId).execute();
    const intruder = await citizenWrites({
      from: 'Intruso <intruso@correo.ciudadano.test>',
      subject: `Re: Corrección de acta de nacimiento [${first.stored.folio}]`,
      text: 'Quiero ver ese trámite',
      inReplyTo: agentReply.messageId,
      references: [first.messageId, agentReply.messageId],
    });
    expect(intruder.stored.conversationId).not.toBe(first.stored.conversationId);
    expect((await conversation(first.stored.conversationId)).closed_at).not.toBeNull();
    const timeline = await h.api('GET', `/conversations/${intruder.stored.conversationId}/timeline`);
    expect(JSON.stringify(timeline.body)).not.toContain('error en el apellido');
  });
});
