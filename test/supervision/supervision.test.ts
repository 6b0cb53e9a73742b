import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/auth.js';
import { createUser } from '../support/factories.js';
import { conversationOf, createTestAgent, eventsOf, seatOf, startRouterHarness, type RouterHarness, type TestAgent } from '../router/router-harness.js';
import { listen, supervisionScenario } from './supervision-harness.js';

/** Issue 9 item 5 on a text channel through the real API: monitor, whisper, barge, takeover. */
describe('supervision of text sessions', () => {
  let h: RouterHarness;
  let s: Awaited<ReturnType<typeof supervisionScenario>>;
  let foreign: TestAgent;
  let adminToken = '';

  const audits = (conversationId: string, action: string) =>
    h.db.selectFrom('audit_log').selectAll().where('target_id', '=', conversationId).where('action', '=', action).execute();
  const messageCount = async (conversationId: string) => (await h.db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).execute()).length;

  beforeAll(async () => {
    h = await startRouterHarness();
    s = await supervisionScenario(h, 'SUP');
    const other = await supervisionScenario(h, 'OTR');
    foreign = other.supervisor;
    const admin = await createUser(h.db, { roles: ['admin'] });
    adminToken = await tokenFor(h.db, admin.id);
  }, 60_000);
  afterAll(async () => {
    for (const x of [s?.a, s?.b, s?.supervisor, foreign]) x?.socket.disconnect();
    await h?.cleanup();
  });

  it('role × campaign: agents and another campaign’s supervisor get 403 in Spanish on every intervention; nothing is stored', async () => {
    const conv = await s.assignedToA();
    const calls: [string, string, unknown][] = [
      ['POST', 'monitor', undefined],
      ['POST', 'whisper', { text: 'hola' }],
      ['POST', 'barge', { text: 'hola' }],
      ['POST', 'takeover', { reasonCode: 'quality' }],
    ];
    for (const [method, path, body] of calls) {
      for (const [who, token, code] of [
        ['colleague agent', s.b.token, 'HUB_ERR_FORBIDDEN_ROLE'],
        ['assignee agent', s.a.token, 'HUB_ERR_FORBIDDEN_ROLE'],
        ['foreign supervisor', foreign.token, 'HUB_ERR_FORBIDDEN_CAMPAIGN'],
      ] as const) {
        const res = await h.api(method, `/conversations/${conv.id}/supervision/${path}`, token, body);
        expect(res.status, `${who} ${path}`).toBe(403);
        expect((res.body['error'] as { code: string; message: string }).code).toBe(code);
        expect((res.body['error'] as { message: string }).message).toMatch(/^(Su rol no permite|No pertenece a esta campaña)/);
      }
    }
    expect(await h.db.selectFrom('supervision_sessions').select('id').where('conversation_id', '=', conv.id).execute()).toEqual([]);
    expect(await h.db.selectFrom('supervision_whispers').select('id').where('conversation_id', '=', conv.id).execute()).toEqual([]);
    expect(await messageCount(conv.id)).toBe(1);
    expect((await conversationOf(h, conv.digits))?.assignee_id).toBe(s.a.id);
    // Sessions list: supervisors of other campaigns do not see this campaign's sessions.
    const list = await h.api('GET', `/supervision/sessions`, foreign.token);
    expect((list.body['items'] as { conversationId: string }[]).some((i) => i.conversationId === conv.id)).toBe(false);
    expect((await h.api('GET', `/supervision/sessions`, s.b.token)).status).toBe(403);
  });

  it('409 for a conversation not held by an agent (queued, closed) and for stopping without monitoring', async () => {
    await h.api('PUT', '/agents/me/state', s.a.token, { state: 'lunch' });
    await h.api('PUT', '/agents/me/state', s.b.token, { state: 'lunch' });
    await s.c.citizenWrites('55 9999 0001');
    await expect.poll(async () => (await conversationOf(h, '99990001'))?.status, { timeout: 5000 }).toBe('queued');
    const queued = (await conversationOf(h, '99990001'))!;
    for (const path of ['monitor', 'whisper', 'barge', 'takeover']) {
      const res = await h.api('POST', `/conversations/${queued.id}/supervision/${path}`, s.supervisor.token, path === 'takeover' ? { reasonCode: 'quality' } : { text: 'x' });
      expect(res.status, path).toBe(409);
      expect((res.body['error'] as { code: string; message: string }).message).toContain('Solo se supervisa una conversación abierta y asignada');
    }
    const conv = await s.assignedToA();
    expect((await h.api('DELETE', `/conversations/${conv.id}/supervision/monitor`, s.supervisor.token)).status).toBe(409);
    expect((await h.api('POST', `/conversations/${conv.id}/resolve`, s.a.token, { reason: 'resuelto' })).status).toBeLessThan(300);
    const closed = await h.api('POST', `/conversations/${conv.id}/supervision/whisper`, s.supervisor.token, { text: 'tarde' });
    expect(closed.status).toBe(409);
    expect(await h.db.selectFrom('supervision_whispers').select('id').where('conversation_id', '=', conv.id).execute()).toEqual([]);
  });

  it('monitor: live timeline without joining as assignee, the agent sees «supervisado» (campaign default), audited start and stop', async () => {
    const conv = await s.assignedToA();
    const supHeard = listen(s.supervisor, ['message.created', 'supervision.changed']);
    const agentHeard = listen(s.a, ['supervision.changed']);
    const res = await h.api('POST', `/conversations/${conv.id}/supervision/monitor`, s.supervisor.token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ mode: 'monitor', voice: false });
    // Idempotent: a second start adds no session and no audit entry.
    expect((await h.api('POST', `/conversations/${conv.id}/supervision/monitor`, s.supervisor.token)).status).toBe(201);
    await expect.poll(() => agentHeard['supervision.changed']?.length, { timeout: 3000 }).toBe(1);
    expect(agentHeard['supervision.changed']?.[0]).toMatchObject({ conversationId: conv.id, change: 'monitor_started', supervisorId: s.supervisor.id, agentId: s.a.id });
    // The live timeline reaches the supervisor while the conversation stays the agent's (unread, unassigned to her).
    await s.c.citizenWrites(conv.phone, 'Sigo esperando mi constancia');
    await expect
      .poll(() => (supHeard['message.created'] ?? []).some((m) => m.conversationId === conv.id && m.message.text === 'Sigo esperando mi constancia'), { timeout: 5000 })
      .toBe(true);
    const row = (await conversationOf(h, conv.digits))!;
    expect(row.assignee_id).toBe(s.a.id);
    expect(row.unread_count).toBeGreaterThan(0);
    const sessions = await h.db.selectFrom('supervision_sessions').selectAll().where('conversation_id', '=', conv.id).execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ supervisor_id: s.supervisor.id, agent_id: s.a.id, mode: 'monitor', ended_at: null });
    expect(await audits(conv.id, 'supervision.monitor_started')).toHaveLength(1);
    const forAgent = await h.api('GET', `/conversations/${conv.id}/supervision`, s.a.token);
    expect(forAgent.body['monitors']).toMatchObject([{ supervisorId: s.supervisor.id, mode: 'monitor' }]);
    const list = await h.api('GET', `/supervision/sessions`, s.supervisor.token);
    expect((list.body['items'] as { conversationId: string; agentId: string; monitoredByMe: boolean }[]).find((i) => i.conversationId === conv.id)).toMatchObject({ agentId: s.a.id, monitoredByMe: true });

    expect((await h.api('DELETE', `/conversations/${conv.id}/supervision/monitor`, s.supervisor.token)).status).toBe(200);
    const ended = await h.db.selectFrom('supervision_sessions').selectAll().where('conversation_id', '=', conv.id).executeTakeFirstOrThrow();
    expect(ended.end_cause).toBe('stopped');
    expect(ended.ended_at).not.toBeNull();
    expect(await audits(conv.id, 'supervision.monitor_stopped')).toHaveLength(1);
  });

  it('monitor with the campaign hiding it: the agent hears nothing and sees no session', async () => {
    const conv = await s.assignedToA();
    await h.db.updateTable('campaigns').set({ settings: JSON.stringify({ supervision: { agentSeesMonitoring: false } }) }).where('id', '=', s.c.id).execute();
    try {
      const agentHeard = listen(s.a, ['supervision.changed']);
      const supHeard = listen(s.supervisor, ['supervision.changed']);
      expect((await h.api('POST', `/conversations/${conv.id}/supervision/monitor`, s.supervisor.token)).status).toBe(201);
      await expect.poll(() => supHeard['supervision.changed']?.length, { timeout: 3000 }).toBe(1);
      const forAgent = await h.api('GET', `/conversations/${conv.id}/supervision`, s.a.token);
      expect(forAgent.body['monitors']).toEqual([]);
      expect(forAgent.body['agentSeesMonitoring']).toBe(false);
      expect(agentHeard['supervision.changed']).toEqual([]);
      expect((await h.api('DELETE', `/conversations/${conv.id}/supervision/monitor`, s.supervisor.token)).status).toBe(200);
    } finally {
      await h.db.updateTable('campaigns').set({ settings: '{}' }).where('id', '=', s.c.id).execute();
    }
  });

  it('whisper: to the agent and the supervisor only, never a messages row, never to a colleague watching the room; audited', async () => {
    const conv = await s.assignedToA();
    await new Promise<void>((resolve, reject) => s.b.socket.emit('conversation.watch', { conversationId: conv.id }, (r) => (r.ok ? resolve() : reject(new Error(r.code)))));
    const agentHeard = listen(s.a, ['supervision.whisper']);
    const colleagueHeard = listen(s.b, ['supervision.whisper', 'message.created']);
    const before = await messageCount(conv.id);
    const outboxBefore = await h.db.selectFrom('outbox').select('id').where('topic', '=', 'realtime.message.created').execute();
    const res = await h.api('POST', `/conversations/${conv.id}/supervision/whisper`, s.supervisor.token, { text: 'Ofrécele la cita del jueves' });
    expect(res.status).toBe(201);
    expect(res.body['whisper']).toMatchObject({ agentId: s.a.id, supervisorId: s.supervisor.id, text: 'Ofrécele la cita del jueves' });
    await expect.poll(() => agentHeard['supervision.whisper']?.length, { timeout: 3000 }).toBe(1);
    // A later real message reaches the colleague's socket: the whisper had every chance to arrive.
    await s.c.citizenWrites(conv.phone, 'Gracias, espero');
    await expect.poll(() => (colleagueHeard['message.created'] ?? []).some((m) => m.message.text === 'Gracias, espero'), { timeout: 5000 }).toBe(true);
    expect(colleagueHeard['supervision.whisper']).toEqual([]);
    expect(await messageCount(conv.id)).toBe(before + 1);
    expect(await h.db.selectFrom('messages').select('id').where('text', '=', 'Ofrécele la cita del jueves').execute()).toEqual([]);
    const outboxAfter = await h.db.selectFrom('outbox').select(['id', 'payload']).where('topic', '=', 'realtime.message.created').execute();
    expect(outboxAfter.length).toBe(outboxBefore.length + 1);
    expect(JSON.stringify(outboxAfter.map((o) => o.payload))).not.toContain('Ofrécele la cita');
    const whisperRows = await h.db.selectFrom('outbox').select('payload').where('topic', '=', 'realtime.supervision.whisper').execute();
    const rooms = whisperRows.map((r) => (r.payload as { rooms: string[] }).rooms).at(-1);
    expect(rooms?.sort()).toEqual([`agent:${s.a.id}`, `agent:${s.supervisor.id}`].sort());
    // The conversation timeline (what transcripts and the citizen side read) has no whisper.
    const timeline = await h.api('GET', `/conversations/${conv.id}/timeline`, s.a.token);
    expect(JSON.stringify(timeline.body)).not.toContain('Ofrécele la cita');
    // The agent reads it from the supervision state; the colleague does not.
    expect((await h.api('GET', `/conversations/${conv.id}/supervision`, s.a.token)).body['whispers']).toMatchObject([{ text: 'Ofrécele la cita del jueves' }]);
    expect((await h.api('GET', `/conversations/${conv.id}/supervision`, s.b.token)).body['whispers']).toEqual([]);
    expect(await audits(conv.id, 'supervision.whispered')).toHaveLength(1);
    expect((await h.api('POST', `/conversations/${conv.id}/supervision/whisper`, s.supervisor.token, {})).status).toBe(400);
  });

  it('barge: a real outbound message with the supervisor as sender, through the normal send path; audited', async () => {
    const conv = await s.assignedToA();
    const res = await h.api('POST', `/conversations/${conv.id}/supervision/barge`, adminToken, { text: 'Buenas tardes, soy la supervisora; le ayudo con su trámite' });
    expect(res.status).toBe(202);
    const sent = await h.db.selectFrom('messages').selectAll().where('conversation_id', '=', conv.id).where('direction', '=', 'outbound').execute();
    expect(sent).toHaveLength(1);
    const admin = await h.db.selectFrom('audit_log').select('actor_user_id').where('target_id', '=', conv.id).where('action', '=', 'supervision.barged').executeTakeFirstOrThrow();
    expect(sent[0]).toMatchObject({ sender_type: 'agent', sender_id: admin.actor_user_id, text: 'Buenas tardes, soy la supervisora; le ayudo con su trámite' });
    // The outbound worker picks it up like any agent reply (the API channel has no callback: it fails there, not here).
    await expect.poll(async () => (await h.db.selectFrom('messages').select('status').where('id', '=', sent[0]!.id).executeTakeFirstOrThrow()).status, { timeout: 5000 }).not.toBe('pending');
    expect((await conversationOf(h, conv.digits))?.assignee_id).toBe(s.a.id);
    expect((await h.api('POST', `/conversations/${conv.id}/supervision/barge`, s.supervisor.token, { text: '' })).status).toBe(400);
  });

  it('takeover: reason required; the session moves to the supervisor with the agent’s load, events for KPIs, the agent is told why; folio unchanged', async () => {
    const conv = await s.assignedToA();
    expect((await seatOf(h, s.a.id)).load_text).toBe(1);
    expect((await h.api('POST', `/conversations/${conv.id}/supervision/takeover`, s.supervisor.token, {})).status).toBe(400);
    expect((await h.api('POST', `/conversations/${conv.id}/supervision/takeover`, s.supervisor.token, { reasonCode: 'other' })).status).toBe(400);
    const agentHeard = listen(s.a, ['supervision.changed', 'conversation.routed']);
    const res = await h.api('POST', `/conversations/${conv.id}/supervision/takeover`, s.supervisor.token, { reasonCode: 'complaint', reasonText: 'Queja por demora' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversationId: conv.id, folio: conv.folio, assigneeId: s.supervisor.id, fromAgentId: s.a.id });
    const row = (await conversationOf(h, conv.digits))!;
    expect(row).toMatchObject({ folio: conv.folio, assignee_id: s.supervisor.id, status: 'assigned' });
    expect((await seatOf(h, s.a.id)).load_text).toBe(0);
    const supSeat = await seatOf(h, s.supervisor.id);
    expect(supSeat.load_text).toBe(1);
    // Held on a seat the router does not offer work to.
    expect(supSeat.state).not.toBe('available');
    const types = (await eventsOf(h, conv.id)).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['conversation.released', 'conversation.transferred', 'conversation.assigned']);
    const transferred = (await eventsOf(h, conv.id)).find((e) => e.type === 'conversation.transferred');
    expect(transferred?.payload).toMatchObject({ kind: 'reassign', fromAgentId: s.a.id, toAgentId: s.supervisor.id, reason: 'takeover — complaint: Queja por demora' });
    expect(await h.db.selectFrom('supervision_takeovers').select(['reason_code', 'reason_text', 'from_agent_id']).where('conversation_id', '=', conv.id).execute()).toEqual([
      { reason_code: 'complaint', reason_text: 'Queja por demora', from_agent_id: s.a.id },
    ]);
    expect(await audits(conv.id, 'supervision.taken_over')).toHaveLength(1);
    await expect.poll(() => agentHeard['supervision.changed']?.some((p) => p.change === 'taken_over' && p.reason === 'complaint: Queja por demora'), { timeout: 3000 }).toBe(true);
    await expect.poll(() => agentHeard['conversation.routed']?.some((p) => p.conversationId === conv.id && p.assigneeId === s.supervisor.id), { timeout: 3000 }).toBe(true);
    // A second takeover is the supervisor's own session now (409); resolving frees their seat.
    expect((await h.api('POST', `/conversations/${conv.id}/supervision/takeover`, s.supervisor.token, { reasonCode: 'quality' })).status).toBe(409);
    expect((await h.api('POST', `/conversations/${conv.id}/resolve`, s.supervisor.token, { reason: 'atendido por supervisión' })).status).toBeLessThan(300);
    expect((await seatOf(h, s.supervisor.id)).load_text).toBe(0);
  });

  it('takeover respects the supervisor’s capacity (409) and leaves everything as it was', async () => {
    const fresh = await createTestAgent(h, [s.c.id], {}, ['supervisor']);
    try {
      const conv = await s.assignedToA();
      await h.db.insertInto('agent_seats').values({ user_id: fresh.id, capacity_override: '{}', cap_text: 0 }).execute();
      const res = await h.api('POST', `/conversations/${conv.id}/supervision/takeover`, fresh.token, { reasonCode: 'quality' });
      expect(res.status).toBe(409);
      expect((res.body['error'] as { code: string }).code).toBe('HUB_ERR_AGENT_AT_CAPACITY');
      expect((await conversationOf(h, conv.digits))?.assignee_id).toBe(s.a.id);
      expect((await seatOf(h, s.a.id)).load_text).toBeGreaterThan(0);
      expect(await audits(conv.id, 'supervision.taken_over')).toEqual([]);
    } finally {
      fresh.socket.disconnect();
    }
  });
});
