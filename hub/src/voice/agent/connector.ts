import { sql, type Kysely } from 'kysely';
import { VoiceRestError } from '@ventanilla/connectors';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { RouterEffects } from '../../router/usecases/router-effects.js';
import type { AgentVoiceChannels } from './agent-channel.js';
import { agentDialAddress } from './agent-endpoint.js';
import { claimAgentLeg, endLeg, ensureConference, findConnectWork, moveCaller, setConferenceSid, setLegCallSid, type ConnectWork } from './agent-leg.store.js';
import { AGENT_ROUTES } from './agent-twiml.js';
import { handBackUnanswered } from './hand-back.usecase.js';

export interface ConnectorDeps {
  db: Kysely<Database>;
  channels: AgentVoiceChannels;
  logger: Pick<Logger, 'warn' | 'info' | 'error'>;
  /** The router's after-commit step (publish, timers, kick) for hand-backs. */
  applyEffects(effects: RouterEffects): Promise<void>;
}

export type ConnectOutcome = 'dialed' | 'claimed_elsewhere' | 'no_channel' | 'citizen_gone' | 'dial_failed';

/**
 * The agent connector (issue 8 item 4): a voice conversation assigned to an agent, with a live
 * citizen leg and no leg yet for that assignment, gets (a) the citizen moved from Twilio's queue
 * into the conversation's conference and (b) the agent dialed into it. DB-driven and claimed
 * through a unique index, so any number of worker processes can run it; a failed dial hands the
 * conversation back to the line while the citizen keeps hearing music in the conference.
 */
export class VoiceAgentConnector {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: ConnectorDeps,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs a tick soon (an accepted voice offer); ticks never overlap in one process. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.tick()
      .catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, 'voice agent connector tick failed');
        return 0;
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over the work; returns how many agents were dialed. */
  async tick(): Promise<number> {
    const work = await findConnectWork(this.deps.db);
    let dialed = 0;
    for (const item of work) {
      const outcome = await this.connect(item).catch((error: unknown) => {
        this.deps.logger.error({ err: error, conversationId: item.conversationId }, 'voice agent connect failed');
        return 'dial_failed' as const;
      });
      if (outcome === 'dialed') dialed += 1;
    }
    return dialed;
  }

  async connect(work: ConnectWork): Promise<ConnectOutcome> {
    const { db, logger } = this.deps;
    const to = await agentDialAddress(db, work.agentId);
    const legId = await claimAgentLeg(db, work, to);
    if (legId === null) return 'claimed_elsewhere';
    const channel = await this.deps.channels.get(work.channelId);
    if (!channel) {
      // Claimed and failed once, so a broken channel is logged once, not every tick.
      await endLeg(db, legId, 'failed', 'no_channel');
      logger.warn({ channelId: work.channelId, conversationId: work.conversationId }, 'voice agent connector: channel missing or not a voice channel');
      return 'no_channel';
    }
    const conference = await ensureConference(db, work);

    if (conference.caller_state === 'queue' && (await moveCaller(db, work.conversationId, ['queue'], 'joining'))) {
      try {
        await channel.rest.redirectCall(work.citizenCallSid, channel.urls.path(AGENT_ROUTES.callerJoin));
      } catch (error) {
        // The citizen hung up meanwhile (their status callback ends the call): nobody to connect.
        await moveCaller(db, work.conversationId, ['joining'], 'queue');
        await endLeg(db, legId, 'failed', 'citizen_unreachable');
        logger.warn({ err: errorText(error), conversationId: work.conversationId }, 'voice agent connector: citizen could not be moved to the conference');
        return 'citizen_gone';
      }
    }

    try {
      const participant = await channel.rest.addParticipant(conference.name, {
        from: channel.settings.callerId,
        to,
        label: 'agent',
        timeoutSeconds: channel.settings.agentRingSeconds,
        startConferenceOnEnter: true,
        // The agent leaving (transfer, hang-up) must not end the citizen's call: the citizen's own
        // endConferenceOnExit ends it when they hang up (agent-twiml.ts).
        endConferenceOnExit: false,
        statusCallback: channel.urls.path(`${AGENT_ROUTES.legStatus}?leg=${legId}`),
        conferenceStatusCallback: channel.urls.path(AGENT_ROUTES.conferenceStatus),
      });
      await setLegCallSid(db, legId, participant.callSid);
      if (participant.conferenceSid) await setConferenceSid(db, work.conversationId, participant.conferenceSid);
      await db
        .insertInto('voice_calls')
        .values({
          call_sid: participant.callSid,
          channel_id: channel.id,
          campaign_id: channel.campaignId,
          conversation_id: work.conversationId,
          kind: 'agent_leg',
          direction: 'outbound',
          from_number: channel.settings.callerId,
          to_number: to,
          status: 'queued',
          agent_id: work.agentId,
          parent_call_sid: work.citizenCallSid,
          conference_name: conference.name,
          conference_sid: participant.conferenceSid,
        })
        .onConflict((oc) =>
          oc.column('call_sid').doUpdateSet({
            kind: 'agent_leg',
            agent_id: work.agentId,
            parent_call_sid: work.citizenCallSid,
            conference_name: conference.name,
            conversation_id: work.conversationId,
            updated_at: sql`clock_timestamp()`,
          }),
        )
        .execute();
      logger.info({ conversationId: work.conversationId, agentId: work.agentId, callSid: participant.callSid }, 'voice agent dialed into the conference');
      return 'dialed';
    } catch (error) {
      await endLeg(db, legId, 'failed', 'dial_failed');
      logger.warn({ err: errorText(error), conversationId: work.conversationId, agentId: work.agentId }, 'voice agent leg could not be created; back to the line');
      await this.deps.applyEffects(await handBackUnanswered(db, { conversationId: work.conversationId, offerId: work.offerId, agentId: work.agentId }));
      return 'dial_failed';
    }
  }
}

function errorText(error: unknown): string {
  if (error instanceof VoiceRestError) return `${error.message} (${error.status}/${error.code ?? '-'})`;
  return error instanceof Error ? error.message : String(error);
}
