import type { FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { FINAL_CALL_STATUSES, VOICE_CALL_SID, VOICE_WEBHOOK_ROOT, type VoiceRouteModule } from '@ventanilla/voice-bridge';
import type { HubContext } from '../../runtime/context.js';
import { AgentVoiceChannels } from '../agent/agent-channel.js';
import { conferenceByCitizen, legById } from '../agent/agent-leg.store.js';
import { legLeft } from '../agent/conference-events.js';
import { withCitizenEvents } from './citizen-events.js';
import { recordLegStatus } from '../core/leg-status.js';
import { supervisorJoined, supervisorLeft } from './supervisor-leg-events.js';
import { setSupervisorCallSid, setSupervisorRinging, supervisorLegById } from './supervisor-leg.store.js';

type Req = FastifyRequest<{ Params: { channelId: string }; Querystring: Record<string, string | undefined> }>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ANSWERED = new Set(['in-progress', 'answered']);
const empty = () => new twilio.twiml.VoiceResponse().toString();

export const SUPERVISION_ROUTES = {
  legStatus: 'supervision/leg-status',
} as const;

/**
 * The supervisor leg's status callback (`supervision/leg-status?leg=<id>`, signed like every
 * voice webhook): its own record (status history, end), ringing, answered (joined, should the
 * conference's join be late) and the end — a supervisor who hangs up has left. A leg taken over
 * is the call's agent leg now: its end is the agent part's bookkeeping (`agent_left`, the citizen
 * released when nobody is left to serve them).
 */
export function supervisionVoiceModule(ctx: HubContext): VoiceRouteModule {
  return (app, kit) => {
    const db = ctx.db.kysely;
    const channels = new AgentVoiceChannels(ctx.channels, ctx.config);

    app.post(`${VOICE_WEBHOOK_ROOT}/:channelId/${SUPERVISION_ROUTES.legStatus}`, async (request: Req, reply: FastifyReply) => {
      const v = await kit.verify(request, reply);
      if (!v) return reply;
      const f = v.form.fields;
      const legId = request.query['leg'] ?? '';
      const callSid = f['CallSid'] ?? '';
      const status = f['CallStatus'] ?? '';
      if (!UUID.test(legId) || !VOICE_CALL_SID.test(callSid) || status === '') return kit.badRequest(reply, 'leg, CallSid and CallStatus are required');
      const leg = await supervisorLegById(db, legId);
      const channel = await channels.get(v.channel.id);
      if (!leg || leg.channel_id !== v.channel.id || !channel || (leg.call_sid !== null && leg.call_sid !== callSid)) {
        kit.warn({ legId, callSid }, 'voice supervision: status callback for an unknown supervisor leg (ignored)');
        return kit.sendTwiml(reply, empty());
      }
      await setSupervisorCallSid(db, leg.id, callSid);
      await recordLegStatus(kit, { callSid, status, duration: f['CallDuration'], channelId: v.channel.id, from: f['From'] ?? '', to: f['To'] ?? leg.to_address, conversationId: leg.conversation_id, kind: 'supervisor_leg' });
      const citizenSid = leg.citizen_call_sid;

      if (leg.state === 'taken_over') {
        const agentLeg = leg.agent_leg_id === null ? null : await legById(db, leg.agent_leg_id);
        const conference = await conferenceByCitizen(db, citizenSid);
        if (FINAL_CALL_STATUSES.has(status) && agentLeg && agentLeg.ended_at === null && conference) {
          await withCitizenEvents(kit, citizenSid, (io) => legLeft({ db, logger: ctx.logger }, channel, conference, agentLeg, io));
        }
        return kit.sendTwiml(reply, empty());
      }
      if (status === 'ringing') await setSupervisorRinging(db, leg.id);
      if (ANSWERED.has(status)) await withCitizenEvents(kit, citizenSid, (io) => supervisorJoined(db, leg, callSid, io.emit));
      if (FINAL_CALL_STATUSES.has(status)) {
        const fresh = (await supervisorLegById(db, leg.id)) ?? leg;
        // A leg never answered (no-answer, busy, canceled by a leave) ends as failed, without an event.
        await withCitizenEvents(kit, citizenSid, (io) => supervisorLeft(db, { ...fresh, call_sid: callSid }, status === 'completed' ? 'hangup' : status, io.emit));
      }
      return kit.sendTwiml(reply, empty());
    });
  };
}
