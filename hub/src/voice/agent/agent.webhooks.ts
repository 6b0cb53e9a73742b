import type { FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { FINAL_CALL_STATUSES, VOICE_CALL_SID, VOICE_WEBHOOK_ROOT, type VoiceRouteModule, type VoiceWebhookKit } from '@ventanilla/voice-bridge';
import type { HubContext } from '../../runtime/context.js';
import { CALL_EVENT_TYPES } from '../call-events.contract.js';
import { AgentVoiceChannels } from './agent-channel.js';
import { agentsWhoJoined, conferenceByCitizen, conferenceByName, endLeg, legById, moveCaller, setConferenceSid, setLegCallSid, setLegState } from './agent-leg.store.js';
import { AGENT_ROUTES, citizenConferenceTwiml, holdMusicTwiml } from './agent-twiml.js';
import { legLeft, onConferenceEvent, type EventIo } from './conference-events.js';
import { handBackUnanswered } from './hand-back.usecase.js';
import { onSupervisorConferenceEvent } from '../supervision/supervisor-leg-events.js';
import { recordLegStatus } from '../core/leg-status.js';

type Req = FastifyRequest<{ Params: { channelId: string }; Querystring: Record<string, string | undefined> }>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNANSWERED = new Set(['no-answer', 'busy', 'failed', 'canceled']);
const empty = () => new twilio.twiml.VoiceResponse().toString();

/**
 * The agent leg's Twilio webhooks (issue 8 item 4), registered under the voice plugin with its
 * signature check: the citizen's move into the conference, conference and leg status callbacks,
 * and the recording callback. Call events go on the citizen's record, one webhook per call at a time.
 */
export function agentVoiceModule(ctx: HubContext): VoiceRouteModule {
  return (app, kit) => {
    const db = ctx.db.kysely;
    const channels = new AgentVoiceChannels(ctx.channels, ctx.config);
    const deps = { db, logger: ctx.logger };
    const route = (path: string) => `${VOICE_WEBHOOK_ROOT}/:channelId/${path}`;

    /**
     * Runs `work` under the citizen call's lock, then saves the events it appended to the
     * citizen's record; the Twilio requests it scheduled run after the lock is released.
     */
    async function withCitizen(kitRef: VoiceWebhookKit, callSid: string, work: (io: EventIo) => Promise<void>): Promise<void> {
      const later: (() => Promise<void>)[] = [];
      const io: EventIo = {
        emit: () => undefined,
        later: (job) => later.push(job),
        emitLater: (type, data) => withCitizen(kitRef, callSid, async (inner) => inner.emit(type, data)),
      };
      await kitRef.serialized(callSid, async () => {
        const pending: { type: string; data: Record<string, string> }[] = [];
        await work({ ...io, emit: (type, data) => pending.push({ type, data }) });
        if (pending.length === 0) return;
        const call = await kitRef.ports.calls.get(callSid);
        if (!call) {
          kitRef.warn({ callSid, events: pending.map((p) => p.type) }, 'voice: agent events for an unknown citizen call (dropped)');
          return;
        }
        for (const p of pending) kitRef.event(call, p.type, p.data);
        await kitRef.ports.calls.save(call);
      });
      for (const job of later) await job();
    }

    app.post(route(AGENT_ROUTES.callerJoin), async (request: Req, reply: FastifyReply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      const callSid = v.form.fields['CallSid'] ?? '';
      if (!VOICE_CALL_SID.test(callSid)) return kit.badRequest(reply, 'CallSid is required');
      const conference = await conferenceByCitizen(db, callSid);
      if (!conference || conference.channel_id !== v.channel.id) {
        kit.warn({ callSid }, 'voice: caller-join for a call without a conference');
        return kit.sendTwiml(reply, kit.goodbye(v.channel));
      }
      await moveCaller(db, conference.conversation_id, ['queue', 'joining'], 'conference');
      return kit.sendTwiml(reply, citizenConferenceTwiml({ conferenceName: conference.name, urls: v.urls }));
    });

    app.post(route(AGENT_ROUTES.holdMusic), async (request: Req, reply: FastifyReply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      return kit.sendTwiml(reply, holdMusicTwiml(kit.holdMusicUrl));
    });

    app.post(route(AGENT_ROUTES.conferenceStatus), async (request: Req, reply: FastifyReply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      const f = v.form.fields;
      const name = f['FriendlyName'] ?? '';
      const event = f['StatusCallbackEvent'] ?? '';
      if (name === '' || event === '') return kit.badRequest(reply, 'FriendlyName and StatusCallbackEvent are required');
      const conference = await conferenceByName(db, name);
      const channel = await channels.get(v.channel.id);
      if (!conference || conference.channel_id !== v.channel.id || !channel) {
        kit.warn({ name, event }, 'voice: conference callback for an unknown conference (ignored)');
        return kit.sendTwiml(reply, empty());
      }
      const conferenceSid = f['ConferenceSid'] ?? '';
      if (/^CF[0-9a-f]{32}$/.test(conferenceSid)) await setConferenceSid(db, conference.conversation_id, conferenceSid);
      const callSid = VOICE_CALL_SID.test(f['CallSid'] ?? '') ? (f['CallSid'] ?? null) : null;
      await withCitizen(kit, conference.citizen_call_sid, async (io) => {
        const fresh = (await conferenceByName(db, name)) ?? conference;
        // A supervisor's leg (voice/supervision/) is not an agent's: its own bookkeeping.
        if (await onSupervisorConferenceEvent(deps, channel, fresh, { event, callSid, label: f['ParticipantLabel'] ?? null }, io)) return;
        await onConferenceEvent(deps, channel, fresh, { event, callSid }, io);
      });
      return kit.sendTwiml(reply, empty());
    });

    app.post(route(AGENT_ROUTES.legStatus), async (request: Req, reply: FastifyReply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      const f = v.form.fields;
      const legId = request.query['leg'] ?? '';
      const callSid = f['CallSid'] ?? '';
      const status = f['CallStatus'] ?? '';
      if (!UUID.test(legId) || !VOICE_CALL_SID.test(callSid) || status === '') return kit.badRequest(reply, 'leg, CallSid and CallStatus are required');
      const leg = await legById(db, legId);
      const channel = await channels.get(v.channel.id);
      if (!leg || leg.channel_id !== v.channel.id || !channel) return kit.sendTwiml(reply, empty());
      await setLegCallSid(db, leg.id, callSid);
      await recordLegStatus(kit, { callSid, status, duration: f['CallDuration'], channelId: v.channel.id, from: f['From'] ?? '', to: f['To'] ?? leg.to_address, conversationId: leg.conversation_id, kind: 'agent_leg' });
      await db
        .updateTable('voice_calls')
        .set({ kind: leg.role === 'agent' ? 'agent_leg' : 'third_party', agent_id: leg.agent_id, parent_call_sid: leg.citizen_call_sid, direction: 'outbound' })
        .where('call_sid', '=', callSid)
        .where('agent_id', 'is', null)
        .execute();
      if (status === 'ringing') await setLegState(db, leg.id, 'ringing');
      if (!FINAL_CALL_STATUSES.has(status)) return kit.sendTwiml(reply, empty());

      const current = await legById(db, leg.id);
      if (!current || current.ended_at !== null) return kit.sendTwiml(reply, empty());
      if (UNANSWERED.has(status) || current.joined_at === null) {
        // Never reached the conference: nothing to bill; an agent's offer goes back to the line.
        const ended = await endLeg(db, leg.id, 'failed', status);
        // Only while the citizen is still on the line: a leg called off because they hung up is no RONA.
        const citizen = await db.selectFrom('voice_calls').select('ended_at').where('call_sid', '=', leg.citizen_call_sid).executeTakeFirst();
        const citizenLive = citizen !== undefined && citizen.ended_at === null && (await conferenceByCitizen(db, leg.citizen_call_sid))?.caller_state !== 'ended';
        if (ended && ended.role === 'agent' && citizenLive) {
          await ctx.router.apply(await handBackUnanswered(db, { conversationId: ended.conversation_id, offerId: ended.offer_id, agentId: ended.agent_id }));
        }
        return kit.sendTwiml(reply, empty());
      }
      // Completed without a participant-leave callback first: the same bookkeeping.
      const conference = await conferenceByCitizen(db, leg.citizen_call_sid);
      if (conference) await withCitizen(kit, conference.citizen_call_sid, (io) => legLeft(deps, channel, conference, current, io));
      return kit.sendTwiml(reply, empty());
    });

    app.post(route(AGENT_ROUTES.recordingStatus), async (request: Req, reply: FastifyReply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      const f = v.form.fields;
      const recordingSid = f['RecordingSid'] ?? '';
      const callSid = f['CallSid'] ?? '';
      if (!/^RE[0-9a-f]{32}$/.test(recordingSid) || !VOICE_CALL_SID.test(callSid)) return kit.badRequest(reply, 'RecordingSid and CallSid are required');
      const conference = await conferenceByCitizen(db, callSid);
      const conversation = conference ? await db.selectFrom('conversations').select(['id', 'folio', 'campaign_id']).where('id', '=', conference.conversation_id).executeTakeFirst() : undefined;
      if (!conference || !conversation || conference.channel_id !== v.channel.id) {
        kit.warn({ recordingSid, callSid }, 'voice: recording callback for an unknown call (ignored)');
        return kit.sendTwiml(reply, empty());
      }
      const status = f['RecordingStatus'] ?? 'completed';
      const duration = /^\d+$/.test(f['RecordingDuration'] ?? '') ? Number(f['RecordingDuration']) : null;
      const url = f['RecordingUrl'] ?? null;
      const channelsCount = f['RecordingChannels'] === '1' ? 1 : 2;
      const agentIds = await agentsWhoJoined(db, conversation.id);
      const values = { status, duration, url, channels: channelsCount, agent_ids: agentIds, completed_at: status === 'completed' ? new Date() : null };
      await db
        .insertInto('voice_recordings')
        .values({ recording_sid: recordingSid, call_sid: callSid, conversation_id: conversation.id, folio: conversation.folio, campaign_id: conversation.campaign_id, channel_id: v.channel.id, ...values })
        .onConflict((oc) => oc.column('recording_sid').doUpdateSet(values))
        .execute();
      if (status === 'completed') {
        await withCitizen(kit, callSid, async (io) => {
          io.emit(CALL_EVENT_TYPES.recording_ready, { recordingSid, url: url ?? '', duration: duration === null ? '' : String(duration), channels: channelsCount === 2 ? 'dual' : 'mono' });
        });
      }
      return kit.sendTwiml(reply, empty());
    });
  };
}
