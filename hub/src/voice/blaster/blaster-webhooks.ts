import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { FINAL_CALL_STATUSES, VOICE_CALL_SID, VOICE_WEBHOOK_ROOT, type CallRecord, type Verified, type VoiceRouteModule } from '@ventanilla/voice-bridge';
import type { Database, VoiceBlast, VoiceBlastRecipient } from '../../db/schema.js';
import type { HubContext } from '../../runtime/context.js';
import { CALL_EVENT_TYPES } from '../call-events.contract.js';
import { CHOICE_REPLIES, renderMessage } from './blast-message.js';
import { enqueueTwiml, humanTwiml, machineTwiml, sayAndHangUp } from './blast-twiml.js';
import { applyFinalStatus } from './blast-call-status.js';

/**
 * The blaster's Twilio webhooks (issue 8 item 7), a route module of the voice plugin (same
 * signature check, per-call lock): `blaster/answer` (Twilio fetched the TwiML of a call the
 * dialer placed: message + keypad options for a person, the machine policy for a mailbox),
 * `blaster/choice` (the key pressed) and `blaster/status` (status callbacks: per-recipient
 * outcome and retries). Every URL carries `?r=<recipientId>`; the recipient must be the one the
 * dialer called with that CallSid on that channel.
 */
type Req = FastifyRequest<{ Params: { channelId: string } }>;
const recipientQuery = z.object({ r: z.uuid() });
const MACHINE = /^(machine_|fax)/;

interface Target {
  blast: VoiceBlast;
  recipient: VoiceBlastRecipient;
}

async function lockTarget(db: Kysely<Database>, recipientId: string, channelId: string, callSid: string): Promise<Target | null> {
  return db.transaction().execute(async (trx) => {
    // FOR UPDATE: the dialer's transaction that placed this call may not have committed yet.
    const recipient = await trx.selectFrom('voice_blast_recipients').selectAll().where('id', '=', recipientId).forUpdate().executeTakeFirst();
    if (!recipient || recipient.call_sid !== callSid) return null;
    const blast = await trx.selectFrom('voice_blasts').selectAll().where('id', '=', recipient.blast_id).executeTakeFirst();
    if (!blast || blast.channel_id !== channelId) return null;
    return { blast, recipient };
  });
}

async function setRecipient(db: Kysely<Database>, id: string, values: { status?: VoiceBlastRecipient['status']; digits?: string; last_error?: string | null }, onlyFrom?: readonly VoiceBlastRecipient['status'][]): Promise<void> {
  let query = db.updateTable('voice_blast_recipients').set({ ...values, updated_at: sql`now()` }).where('id', '=', id);
  if (onlyFrom) query = query.where('status', 'in', onlyFrom);
  await query.execute();
}

export function blasterRouteModule(ctx: HubContext): VoiceRouteModule {
  const db = ctx.db.kysely;
  return (app, kit) => {
    /** The call's record in the store, created for a blaster leg the store does not know yet. */
    async function callOf(v: Verified, callSid: string, target: Target): Promise<CallRecord> {
      const stored = await kit.ports.calls.get(callSid);
      if (stored) return stored;
      return { callSid, channelId: v.channel.id, from: '', to: target.recipient.phone, state: null, status: 'in-progress', outcome: null, events: [], kind: 'blaster' };
    }

    /** Signature, CallSid and `?r=`; null when the reply was already sent. */
    async function accept(request: Req, reply: FastifyReply): Promise<{ v: Verified; callSid: string; recipientId: string } | null> {
      const v = await kit.verify(request, reply);
      if (!v) return null;
      const callSid = v.form.fields['CallSid'] ?? '';
      const query = recipientQuery.safeParse(request.query);
      if (!VOICE_CALL_SID.test(callSid) || !query.success) {
        await kit.badRequest(reply, 'CallSid and r (the recipient) are required');
        return null;
      }
      return { v, callSid, recipientId: query.data.r };
    }

    const choiceUrl = (v: Verified, recipientId: string) => v.urls.path(`blaster/choice?r=${encodeURIComponent(recipientId)}`);

    app.post<{ Params: { channelId: string } }>(`${VOICE_WEBHOOK_ROOT}/:channelId/blaster/answer`, async (request, reply) => {
      const a = await accept(request, reply);
      if (!a) return reply;
      const { v, callSid, recipientId } = a;
      return kit.serialized(callSid, async () => {
        const target = await lockTarget(db, recipientId, v.channel.id, callSid);
        if (!target) {
          kit.warn({ callSid, recipientId }, 'voice blaster: answer webhook for an unknown recipient or call');
          return kit.sendTwiml(reply, kit.goodbye(v.channel));
        }
        const { blast, recipient } = target;
        const answeredBy = v.form.fields['AnsweredBy'] ?? '';
        const machine = MACHINE.test(answeredBy);
        await setRecipient(db, recipient.id, { status: machine ? 'machine' : 'answered' }, ['calling']);
        const call = await callOf(v, callSid, target);
        if (!FINAL_CALL_STATUSES.has(call.status)) call.status = v.form.fields['CallStatus'] ?? 'in-progress';
        const message = renderMessage(blast.message_text ?? '', recipient);
        const played = !machine || blast.machine_policy === 'leave_message';
        if (played) kit.event(call, CALL_EVENT_TYPES.blaster_played, { blastId: blast.id, recipientId: recipient.id });
        await kit.ports.calls.save(call);
        return kit.sendTwiml(reply, machine ? machineTwiml(blast, message) : humanTwiml(blast, message, choiceUrl(v, recipient.id)));
      });
    });

    app.post<{ Params: { channelId: string } }>(`${VOICE_WEBHOOK_ROOT}/:channelId/blaster/choice`, async (request, reply) => {
      const a = await accept(request, reply);
      if (!a) return reply;
      const { v, callSid, recipientId } = a;
      return kit.serialized(callSid, async () => {
        const target = await lockTarget(db, recipientId, v.channel.id, callSid);
        if (!target) {
          kit.warn({ callSid, recipientId }, 'voice blaster: choice webhook for an unknown recipient or call');
          return kit.sendTwiml(reply, kit.goodbye(v.channel));
        }
        const { blast, recipient } = target;
        const digits = (v.form.fields['Digits'] ?? '').slice(0, 1);
        const action = blast.options[digits] ?? null;
        const call = await callOf(v, callSid, target);
        kit.event(call, CALL_EVENT_TYPES.blaster_choice, { digits, action: action ?? 'invalid' });
        const message = renderMessage(blast.message_text ?? '', recipient);
        let twiml: string;
        switch (action) {
          case 'confirm':
          case 'decline':
            await setRecipient(db, recipient.id, { status: action === 'confirm' ? 'confirmed' : 'declined', digits });
            twiml = sayAndHangUp(CHOICE_REPLIES[action]);
            break;
          case 'optout':
            await db.transaction().execute(async (trx) => {
              await trx.updateTable('voice_blast_recipients').set({ status: 'opted_out', digits, updated_at: sql`now()` }).where('id', '=', recipient.id).execute();
              await trx.insertInto('voice_do_not_call').values({ campaign_id: blast.campaign_id, phone: recipient.phone, blast_id: blast.id }).onConflict((oc) => oc.columns(['campaign_id', 'phone']).doNothing()).execute();
            });
            twiml = sayAndHangUp(CHOICE_REPLIES.optout);
            break;
          case 'agent':
            twiml = await toAgent(v, call, blast, recipient, digits);
            break;
          case 'repeat':
            twiml = humanTwiml(blast, message, choiceUrl(v, recipient.id));
            break;
          default:
            twiml = humanTwiml(blast, `${CHOICE_REPLIES.invalid} ${message}`, choiceUrl(v, recipient.id));
        }
        await kit.ports.calls.save(call);
        return kit.sendTwiml(reply, twiml);
      });
    });

    /** «Hablar con un asesor»: the call goes in the blast's queue exactly as an IVR queue outcome does. */
    async function toAgent(v: Verified, call: CallRecord, blast: VoiceBlast, recipient: VoiceBlastRecipient, digits: string): Promise<string> {
      try {
        // The hub finds the citizen by the caller's number: on an outbound leg that is the number
        // called, not our caller ID. The conversation and folio are then the call's own.
        const asCitizen: CallRecord = { ...call, from: recipient.phone, events: [] };
        const { queueName, queueId } = await kit.ports.enqueue(v.channel, asCitizen, {
          type: 'queue',
          ...(blast.queue_id ? { queueId: blast.queue_id } : {}),
          collected: { blastId: blast.id, blastRecipientId: recipient.id },
          path: [],
        });
        call.conversationId = asCitizen.conversationId ?? null;
        call.folio = asCitizen.folio ?? null;
        kit.event(call, CALL_EVENT_TYPES.enqueued, { queueName, conversationId: call.conversationId ?? '', folio: call.folio ?? '', queueId: queueId ?? '' });
        await setRecipient(db, recipient.id, { status: 'transferred', digits });
        return enqueueTwiml(queueName, v.urls.wait, v.urls.path('queue/after'));
      } catch (error) {
        kit.warn({ callSid: call.callSid, err: error instanceof Error ? error.message : String(error) }, 'voice blaster: enqueue failed');
        kit.event(call, CALL_EVENT_TYPES.enqueue_failed);
        await setRecipient(db, recipient.id, { digits, last_error: 'no se pudo transferir a un asesor / could not transfer to an agent' });
        return kit.unavailable(v.channel);
      }
    }

    app.post<{ Params: { channelId: string } }>(`${VOICE_WEBHOOK_ROOT}/:channelId/blaster/status`, async (request, reply) => {
      const a = await accept(request, reply);
      if (!a) return reply;
      const { v, callSid, recipientId } = a;
      const f = v.form.fields;
      const status = f['CallStatus'] ?? '';
      if (status === '') return kit.badRequest(reply, 'CallStatus is required');
      return kit.serialized(callSid, async () => {
        const call = await kit.ports.calls.get(callSid);
        if (call && call.channelId === v.channel.id) {
          kit.event(call, CALL_EVENT_TYPES.status, {
            status,
            ...(f['CallDuration'] !== undefined ? { duration: f['CallDuration'] } : {}),
            ...(f['Timestamp'] !== undefined ? { timestamp: f['Timestamp'] } : {}),
            ...(f['SequenceNumber'] !== undefined ? { sequence: f['SequenceNumber'] } : {}),
          });
          // Callbacks may arrive out of order: a final status is never overwritten.
          if (!FINAL_CALL_STATUSES.has(call.status)) {
            call.status = status;
            if (FINAL_CALL_STATUSES.has(status)) kit.event(call, CALL_EVENT_TYPES.ended, { status, duration: f['CallDuration'] ?? '' });
          }
          await kit.ports.calls.save(call);
        }
        if (FINAL_CALL_STATUSES.has(status)) {
          const applied = await applyFinalStatus(db, { recipientId, callSid, channelId: v.channel.id, status, answeredBy: f['AnsweredBy'] ?? '', errorCode: f['ErrorCode'] ?? '' });
          if (!applied) kit.warn({ callSid, recipientId, status }, 'voice blaster: status callback for an unknown recipient or call (ignored)');
        }
        return kit.sendTwiml(reply, '<?xml version="1.0" encoding="UTF-8"?><Response/>');
      });
    });
  };
}

