import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../audit/audit.js';
import type { Database, Message } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import type { OutboxRow } from '../outbox/outbox.js';
import { sendAgentMessage, type ReplyChannelLookup } from '../outbound/send-agent-message.usecase.js';
import type { SupervisionModeView, SupervisionWhisperView } from '../realtime/events.contract.js';
import type { RouterEffects } from '../router/usecases/router-effects.js';
import { abandonSession, closeSession, openSession, setCallSid, type RequestMeta } from './monitor.usecase.js';
import { assertLive, lockLiveConversation, SUPERVISING_ROLES } from './supervision-access.js';
import { takeOverConversation, type TakeoverInput } from './takeover.usecase.js';
import type { VoiceSupervisionMode, VoiceSupervisionPort } from './voice-supervision.port.js';
import { whisperToAgent } from './whisper.usecase.js';
import { authorize } from '../auth/principal.js';

export interface SupervisionDeps {
  db: Kysely<Database>;
  logger: Logger;
  publish(outbox: OutboxRow[]): void;
  applyEffects(effects: RouterEffects): Promise<void>;
  channels: ReplyChannelLookup;
  enqueueOutbound(messageId: string): Promise<void>;
  /** Puts the supervisor's open staff sockets in the conversation's room (live timeline). */
  joinConversationRoom(userId: string, conversationId: string): void;
  /** Null when this build has no voice supervision (calls then answer 503). */
  voice: VoiceSupervisionPort | null;
}

/**
 * The four interventions of issue 9 item 5 on any channel. Text: stored and delivered by the hub.
 * Voice: the same calls drive the supervisor's call leg through VoiceSupervisionPort
 * (monitor → muted listener, whisper → coach, barge → three-way, takeover → full participant).
 */
export class SupervisionService {
  constructor(private readonly deps: SupervisionDeps) {}

  async monitor(principal: Principal, conversationId: string, meta: RequestMeta): Promise<{ mode: SupervisionModeView; voice: boolean }> {
    const voice = await this.isVoiceCall(principal, conversationId);
    if (voice) return { mode: await this.setLegMode(principal, conversationId, 'monitor', meta), voice };
    const { outbox } = await openSession(this.deps.db, principal, conversationId, 'monitor', meta);
    this.deps.publish(outbox);
    this.deps.joinConversationRoom(principal.userId, conversationId);
    return { mode: 'monitor', voice };
  }

  async stop(principal: Principal, conversationId: string, meta: RequestMeta): Promise<void> {
    const { session, outbox } = await closeSession(this.deps.db, principal, conversationId, meta);
    this.deps.publish(outbox);
    if (session.call_sid !== null && this.deps.voice) {
      // The session is closed either way; a leg the bridge could not hang up is only logged.
      await this.deps.voice.leave({ conversationId, supervisorId: principal.userId }).catch((error: unknown) => this.deps.logger.warn({ err: error, conversationId }, 'supervision: could not hang up the supervisor leg'));
    }
  }

  async whisper(principal: Principal, conversationId: string, text: string | undefined, meta: RequestMeta): Promise<{ whisper: SupervisionWhisperView | null; mode: SupervisionModeView | null }> {
    const voice = await this.isVoiceCall(principal, conversationId);
    if (!voice && text === undefined) throw new HubError('HUB_ERR_VALIDATION', 'Escriba el susurro para el agente / write the whisper for the agent');
    // On a call the supervisor's leg becomes a coach; a text whisper still reaches the agent's screen.
    const mode = voice ? await this.setLegMode(principal, conversationId, 'whisper', meta) : null;
    if (text === undefined) return { whisper: null, mode };
    const { whisper, outbox } = await whisperToAgent(this.deps.db, principal, conversationId, text, meta);
    this.deps.publish(outbox);
    return { whisper, mode };
  }

  async barge(principal: Principal, conversationId: string, text: string | undefined, meta: RequestMeta): Promise<{ message: Message | null; mode: SupervisionModeView | null }> {
    const voice = await this.isVoiceCall(principal, conversationId);
    if (voice) {
      if (text !== undefined) throw new HubError('HUB_ERR_VALIDATION', 'En una llamada, intervenir es unirse a la conversación; no se envía texto / on a call, barge joins the call, no text is sent');
      return { message: null, mode: await this.setLegMode(principal, conversationId, 'barge', meta) };
    }
    if (text === undefined) throw new HubError('HUB_ERR_VALIDATION', 'Escriba el mensaje para el ciudadano / write the message for the citizen');
    const { db } = this.deps;
    // The live check first (409 before anything is stored); the send path then applies the
    // channel's own rules (capabilities, 24 h window) under its lock, as for the agent.
    await db.transaction().execute((trx) => lockLiveConversation(trx, principal, conversationId));
    const { message, folio, outbox } = await sendAgentMessage(db, principal, conversationId, { text }, this.deps.channels);
    this.deps.publish(outbox);
    const conversation = await db.selectFrom('conversations').select(['campaign_id', 'assignee_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    await recordAudit(db, {
      action: 'supervision.barged',
      actorUserId: principal.userId,
      ...meta,
      campaignId: conversation.campaign_id,
      targetType: 'conversation',
      targetId: conversationId,
      details: { folio, agentId: conversation.assignee_id, messageId: message.id },
    });
    try {
      await this.deps.enqueueOutbound(message.id);
    } catch (error) {
      // Stored as pending: the outbound sweep enqueues it once Redis answers again.
      this.deps.logger.warn({ err: error, folio, messageId: message.id }, 'supervision: barge stored but not enqueued yet');
    }
    return { message, mode: null };
  }

  async takeover(principal: Principal, input: TakeoverInput, meta: RequestMeta): Promise<{ folio: string; fromAgentId: string }> {
    const voice = await this.isVoiceCall(principal, input.conversationId);
    const port = voice ? this.requireVoice() : null;
    const onCall = { conversationId: input.conversationId, supervisorId: principal.userId };
    let modeBefore: VoiceSupervisionMode | null = null;
    if (port) {
      // Before anything is written: a leg still ringing (or no agent left on the call) would be
      // refused by the bridge after the reassignment committed — the agent still talking, the
      // session already the supervisor's. And the one Twilio step that can fail (the supervisor
      // heard by everyone) is done now: if Twilio does not answer, nothing is reassigned.
      await assertOnTheCall(this.deps.db, onCall);
      modeBefore = (await port.assertCanTakeOver(onCall)).mode;
      if (modeBefore !== 'barge') await port.changeMode({ ...onCall, mode: 'barge' });
    }
    let taken: Awaited<ReturnType<typeof takeOverConversation>>;
    try {
      taken = await takeOverConversation(this.deps.db, principal, input, meta, async (_conversation, trx) => {
        // The port turns an existing leg into a full participant: the supervisor must be on the call.
        if (port) await assertOnTheCall(trx, onCall);
      });
    } catch (error) {
      // Refused (capacity, a race): the supervisor goes back to how they were listening.
      if (port && modeBefore !== null && modeBefore !== 'barge') {
        const mode = modeBefore;
        await port.changeMode({ ...onCall, mode }).catch((undo: unknown) => this.deps.logger.warn({ err: undo, conversationId: input.conversationId }, 'supervision: takeover refused and the leg stayed in barge'));
      }
      throw error;
    }
    const { effects, fromAgentId, folio } = taken;
    await this.deps.applyEffects(effects);
    if (port) {
      await port.takeOver(onCall).catch((error: unknown) => {
        this.deps.logger.error({ err: error, conversationId: input.conversationId, supervisorId: principal.userId }, 'supervision: reassigned to the supervisor but the call was not taken over');
        throw error;
      });
    }
    return { folio, fromAgentId };
  }

  private requireVoice(): VoiceSupervisionPort {
    if (!this.deps.voice) throw new HubError('HUB_ERR_SUPERVISION_VOICE_UNAVAILABLE');
    return this.deps.voice;
  }

  /** Role, campaign and liveness first (403 / 404 / 409 before any voice decision). */
  private async isVoiceCall(principal: Principal, conversationId: string): Promise<boolean> {
    const conversation = await this.deps.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
    if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
    authorize(principal, SUPERVISING_ROLES, conversation.campaign_id);
    assertLive(conversation, principal);
    return conversation.channel_class === 'voice';
  }

  /** The supervisor's call leg in `mode`: dialled on first use, switched without redialling after. */
  private async setLegMode(principal: Principal, conversationId: string, mode: SupervisionModeView, meta: RequestMeta): Promise<SupervisionModeView> {
    const port = this.requireVoice();
    const opened = await openSession(this.deps.db, principal, conversationId, mode, meta);
    this.deps.publish(opened.outbox);
    this.deps.joinConversationRoom(principal.userId, conversationId);
    const input = { conversationId, supervisorId: principal.userId };
    if (opened.session.call_sid !== null) {
      if (opened.change === 'mode_changed') await port.changeMode({ ...input, mode });
      return mode;
    }
    try {
      const { callSid } = await port.join({ ...input, mode });
      await setCallSid(this.deps.db, opened.session.id, callSid);
    } catch (error) {
      if (opened.change === 'started') await abandonSession(this.deps.db, opened.session.id);
      throw error;
    }
    return mode;
  }
}

/** The supervisor has a dialled leg on this call (an open session with its call sid). */
async function assertOnTheCall(db: Kysely<Database>, input: { conversationId: string; supervisorId: string }): Promise<void> {
  const leg = await db.selectFrom('supervision_sessions').select('call_sid').where('conversation_id', '=', input.conversationId).where('supervisor_id', '=', input.supervisorId).where('ended_at', 'is', null).executeTakeFirst();
  if (!leg?.call_sid) throw new HubError('HUB_ERR_SUPERVISION_NOT_MONITORING', 'Únase a la llamada (monitorear) antes de tomar el control / join the call (monitor) before taking over');
}
