import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../hub/src/auth/principal.js';
import { enqueueOutbound } from '../../hub/src/queues/outbound-jobs.js';
import { SupervisionService } from '../../hub/src/supervision/supervision.service.js';
import type { VoiceSupervisionMode, VoiceSupervisionPort } from '../../hub/src/supervision/voice-supervision.port.js';
import { startRouterHarness, type RouterHarness } from '../router/router-harness.js';
import { supervisionScenario } from './supervision-harness.js';

/** What the hub asked the voice bridge to do, with the conversation's assignee at that moment. */
class RecordingVoicePort implements VoiceSupervisionPort {
  readonly calls: { op: string; mode?: VoiceSupervisionMode; assignee: string | null }[] = [];
  constructor(private readonly assigneeOf: (conversationId: string) => Promise<string | null>) {}
  /** The leg's mode per call, as the bridge would report it. */
  private readonly modes = new Map<string, VoiceSupervisionMode>();
  async join(input: { conversationId: string; mode: VoiceSupervisionMode }) {
    this.modes.set(input.conversationId, input.mode);
    this.calls.push({ op: 'join', mode: input.mode, assignee: await this.assigneeOf(input.conversationId) });
    return { callSid: `CA${this.calls.length}` };
  }
  async changeMode(input: { conversationId: string; mode: VoiceSupervisionMode }) {
    this.modes.set(input.conversationId, input.mode);
    this.calls.push({ op: 'changeMode', mode: input.mode, assignee: await this.assigneeOf(input.conversationId) });
  }
  async leave(input: { conversationId: string }) {
    this.calls.push({ op: 'leave', assignee: await this.assigneeOf(input.conversationId) });
  }
  async assertCanTakeOver(input: { conversationId: string }) {
    this.calls.push({ op: 'assertCanTakeOver', assignee: await this.assigneeOf(input.conversationId) });
    return { mode: this.modes.get(input.conversationId) ?? 'monitor' };
  }
  async takeOver(input: { conversationId: string }) {
    this.calls.push({ op: 'takeOver', assignee: await this.assigneeOf(input.conversationId) });
  }
}

/**
 * The same interventions on a call go to VoiceSupervisionPort (hub/src/voice/supervision). The
 * conversation is a routed one switched to channel class voice: what is under test is the hub's
 * dispatch and bookkeeping, not the conference (the voice bridge's own tests cover that).
 */
describe('supervision of calls dispatches to the voice port', () => {
  let h: RouterHarness;
  let s: Awaited<ReturnType<typeof supervisionScenario>>;
  const meta = { ip: '127.0.0.1', userAgent: 'vitest' };

  beforeAll(async () => {
    h = await startRouterHarness();
    s = await supervisionScenario(h, 'VOZ');
  }, 60_000);
  afterAll(async () => {
    for (const x of [s?.a, s?.b, s?.supervisor]) x?.socket.disconnect();
    await h?.cleanup();
  });

  function service(voice: VoiceSupervisionPort | null) {
    const { ctx } = h.hub;
    return new SupervisionService({
      db: h.db,
      logger: ctx.logger,
      publish: (outbox) => ctx.relay.publishCommitted(outbox),
      applyEffects: (effects) => ctx.router.apply(effects),
      channels: ctx.channels,
      enqueueOutbound: (id) => enqueueOutbound(ctx, id),
      joinConversationRoom: () => undefined,
      voice,
    });
  }

  async function supervisorPrincipal(): Promise<Principal> {
    const u = await h.db.selectFrom('users').selectAll().where('id', '=', s.supervisor.id).executeTakeFirstOrThrow();
    return { userId: u.id, email: u.email, displayName: u.display_name, roles: u.roles, campaignIds: [s.c.id] };
  }

  it('monitor → join muted, whisper → coach (text still stored), barge → three-way, takeover after the router moved it', async () => {
    const conv = await s.assignedToA();
    await h.db.updateTable('conversations').set({ channel_class: 'voice' }).where('id', '=', conv.id).execute();
    await h.db.updateTable('agent_seats').set({ load_text: 0, load_voice: 1 }).where('user_id', '=', s.a.id).execute();
    const port = new RecordingVoicePort(async (id) => (await h.db.selectFrom('conversations').select('assignee_id').where('id', '=', id).executeTakeFirstOrThrow()).assignee_id);
    const svc = service(port);
    const me = await supervisorPrincipal();

    await expect(svc.takeover(me, { conversationId: conv.id, reasonCode: 'quality' }, meta)).rejects.toMatchObject({ code: 'HUB_ERR_SUPERVISION_NOT_MONITORING' });
    expect(await svc.monitor(me, conv.id, meta)).toEqual({ mode: 'monitor', voice: true });
    const w1 = await svc.whisper(me, conv.id, undefined, meta);
    expect(w1).toEqual({ whisper: null, mode: 'whisper' });
    const w2 = await svc.whisper(me, conv.id, 'Pídele su NSS', meta);
    expect(w2.whisper?.text).toBe('Pídele su NSS');
    await expect(svc.barge(me, conv.id, 'hola', meta)).rejects.toMatchObject({ code: 'HUB_ERR_VALIDATION' });
    expect(await svc.barge(me, conv.id, undefined, meta)).toEqual({ message: null, mode: 'barge' });
    const session = await h.db.selectFrom('supervision_sessions').selectAll().where('conversation_id', '=', conv.id).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ mode: 'barge', call_sid: 'CA1', ended_at: null });
    await svc.takeover(me, { conversationId: conv.id, reasonCode: 'escalation' }, meta);
    expect(port.calls).toEqual([
      { op: 'join', mode: 'monitor', assignee: s.a.id },
      { op: 'changeMode', mode: 'whisper', assignee: s.a.id },
      { op: 'changeMode', mode: 'barge', assignee: s.a.id },
      // The bridge's refusals are checked before anything is written; then the router
      // reassignment, then the bridge moves the legs.
      { op: 'assertCanTakeOver', assignee: s.a.id },
      { op: 'takeOver', assignee: s.supervisor.id },
    ]);
    expect((await h.db.selectFrom('agent_seats').select('load_voice').where('user_id', '=', s.supervisor.id).executeTakeFirstOrThrow()).load_voice).toBe(1);
    expect(await h.db.selectFrom('messages').select('id').where('conversation_id', '=', conv.id).where('direction', '=', 'outbound').execute()).toEqual([]);
    const actions = (await h.db.selectFrom('audit_log').select('action').where('target_id', '=', conv.id).orderBy('id').execute()).map((a) => a.action);
    expect(actions).toEqual(['supervision.monitor_started', 'supervision.mode_changed', 'supervision.whispered', 'supervision.mode_changed', 'supervision.taken_over']);
  });

  it('takeover from a listening mode barges first; a refused reassignment puts the supervisor back as they were', async () => {
    const conv = await s.assignedToA();
    await h.db.updateTable('conversations').set({ channel_class: 'voice' }).where('id', '=', conv.id).execute();
    // The supervisor is on another call: no room for this one (voice is one session at a time).
    await h.db.updateTable('agent_seats').set({ cap_voice: 1, load_voice: 1 }).where('user_id', '=', s.supervisor.id).execute();
    const port = new RecordingVoicePort(async (id) => (await h.db.selectFrom('conversations').select('assignee_id').where('id', '=', id).executeTakeFirstOrThrow()).assignee_id);
    const svc = service(port);
    const me = await supervisorPrincipal();
    await svc.monitor(me, conv.id, meta);
    await expect(svc.takeover(me, { conversationId: conv.id, reasonCode: 'escalation' }, meta)).rejects.toMatchObject({ code: 'HUB_ERR_AGENT_AT_CAPACITY' });
    expect(port.calls).toEqual([
      { op: 'join', mode: 'monitor', assignee: s.a.id },
      { op: 'assertCanTakeOver', assignee: s.a.id },
      // Heard by everyone before the reassignment (the one Twilio step that can fail), then back.
      { op: 'changeMode', mode: 'barge', assignee: s.a.id },
      { op: 'changeMode', mode: 'monitor', assignee: s.a.id },
    ]);
    expect((await h.db.selectFrom('conversations').select('assignee_id').where('id', '=', conv.id).executeTakeFirstOrThrow()).assignee_id).toBe(s.a.id);
  });

  it('a leg the bridge cannot dial leaves no session; without a voice bridge a call answers 503; the real bridge refuses a call it cannot join', async () => {
    const conv = await s.assignedToA();
    await h.db.updateTable('conversations').set({ channel_class: 'voice' }).where('id', '=', conv.id).execute();
    const me = await supervisorPrincipal();
    const failing: VoiceSupervisionPort = {
      join: () => Promise.reject(new Error('conference not found')),
      changeMode: () => Promise.resolve(),
      leave: () => Promise.resolve(),
      takeOver: () => Promise.resolve(),
      assertCanTakeOver: () => Promise.resolve({ mode: 'monitor' }),
    };
    await expect(service(failing).monitor(me, conv.id, meta)).rejects.toThrow('conference not found');
    expect(await h.db.selectFrom('supervision_sessions').select('id').where('conversation_id', '=', conv.id).where('ended_at', 'is', null).execute()).toEqual([]);
    await expect(service(null).monitor(me, conv.id, meta)).rejects.toMatchObject({ code: 'HUB_ERR_SUPERVISION_VOICE_UNAVAILABLE', statusCode: 503 });
    // Through the API the real voice bridge (hub/src/voice/supervision) answers: this call has no
    // conference with a talking agent leg, so it refuses with its own clear error, and no session stays open.
    const res = await h.api('POST', `/conversations/${conv.id}/supervision/monitor`, s.supervisor.token);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(600);
    expect((res.body['error'] as { code: string }).code).toMatch(/^HUB_ERR_/);
    expect(await h.db.selectFrom('supervision_sessions').select('id').where('conversation_id', '=', conv.id).where('ended_at', 'is', null).execute()).toEqual([]);
  });
});
