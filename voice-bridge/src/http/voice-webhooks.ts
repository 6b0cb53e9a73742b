import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import type { IvrContext, IvrStepResult } from '../ivr/ivr.contract.js';
import type { CallRecord, EnqueueResult, VoiceBridgePorts, VoiceChannel } from './voice-bridge.ports.js';
import { appendVerbs, FINAL_CALL_STATUSES, KeyedSerializer, optionalInt } from './voice-call-helpers.js';
import { FORM_CONTENT_TYPE, isTwilioForm, parseTwilioForm, twilioSignatureValid, type TwilioForm } from './twilio-form.js';
import { DEFAULT_HOLD_MUSIC_URL, sayAttributes, waitTwiml } from './wait-announcement.js';
import { VOICE_WEBHOOK_ROOT, voiceWebhookUrls, type VoiceWebhookUrls } from './voice-webhook-urls.js';

// The hub registers the plugin and configures numbers with these: one import for all of it.
export * from './voice-bridge.ports.js';
export { FINAL_CALL_STATUSES } from './voice-call-helpers.js';
export { DEFAULT_HOLD_MUSIC_URL, waitAnnouncementText } from './wait-announcement.js';
export { VOICE_WEBHOOK_ROOT, voiceWebhookUrls, type VoiceWebhookUrls } from './voice-webhook-urls.js';

export interface VoiceWebhooksOptions {
  ports: VoiceBridgePorts;
  /** Played to callers in line; default: a public-domain classical piece (wait-announcement.ts). */
  holdMusicUrl?: string;
  /** More routes under /webhooks/voice/:channelId/… (agent leg, voicemail, call-backs, blaster, survey). */
  modules?: readonly VoiceRouteModule[];
}

/**
 * What a route module gets from the plugin: the same signature check, per-call serialization and
 * replies as the core routes. Modules register routes under `${VOICE_WEBHOOK_ROOT}/:channelId/…`
 * and build their URLs with `urls.path(…)`.
 */
export interface VoiceWebhookKit {
  ports: VoiceBridgePorts;
  holdMusicUrl: string;
  /** Signature (403), channel (404) and AccountSid checks; null when the reply was already sent. */
  verify(request: FastifyRequest<{ Params: { channelId: string } }>, reply: FastifyReply): Promise<Verified | null>;
  /** One webhook of a call at a time: in this process, and across processes with the store's lock. */
  serialized<T>(callSid: string, work: () => Promise<T>): Promise<T>;
  /** Appends an event to the call's history (stored with the call by `ports.calls.save`). */
  event(call: CallRecord, type: string, data?: Record<string, string>): void;
  sendTwiml(reply: FastifyReply, twiml: string): FastifyReply;
  badRequest(reply: FastifyReply, reason: string): Promise<void>;
  /** Polite TwiML for a webhook of an unknown or finished call. */
  goodbye(channel: VoiceChannel): string;
  /** Apology + hang-up TwiML when something we need is down. */
  unavailable(channel: VoiceChannel): string;
  warn(obj: object, msg: string): void;
}
export type VoiceRouteModule = (app: FastifyInstance, kit: VoiceWebhookKit) => void | Promise<void>;
export const VOICE_CALL_SID = /^CA[0-9a-f]{32}$/;

const CALL_SID = VOICE_CALL_SID;
const GONE_TEXT = 'Lo sentimos, no encontramos su llamada. Por favor, marque de nuevo. Hasta luego.';
const UNAVAILABLE_TEXT = 'Lo sentimos, por el momento no podemos atenderle. Por favor, intente más tarde. Hasta luego.';

type Params = { channelId: string; node?: string };
type Req = FastifyRequest<{ Params: { channelId: string } }>;
export interface Verified {
  channel: VoiceChannel;
  form: TwilioForm;
  urls: VoiceWebhookUrls;
}

/**
 * Twilio Voice webhooks (issue 8): incoming call → IVR steps → queue (with the wait
 * announcement) → status callbacks. It knows nothing of the database: everything goes through
 * `VoiceBridgePorts`. Register it without a prefix (URLs are built by voice-webhook-urls.ts).
 * Every route verifies X-Twilio-Signature first and fails closed (CONVENTIONS 2).
 */
export async function voiceWebhooks(app: FastifyInstance, options: VoiceWebhooksOptions): Promise<void> {
  const { ports } = options;
  const holdMusicUrl = options.holdMusicUrl ?? DEFAULT_HOLD_MUSIC_URL;
  const warn = (obj: object, msg: string) => ports.log?.warn(obj, msg);

  // This plugin is encapsulated (no fastify-plugin), so replacing the parsers only affects its routes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM_CONTENT_TYPE, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, parseTwilioForm(typeof body === 'string' ? body : body.toString('utf8')));
  });

  // One webhook of a call at a time: status callbacks race the IVR's requests and both rewrite
  // the record. In this process a serializer queues them (so they do not all poll the lock);
  // across processes the store's lock (PostgreSQL store: a Redis lock) does.
  const perCall = new KeyedSerializer();
  const serialized = <T>(callSid: string, work: () => Promise<T>) =>
    perCall.run(callSid, () => (ports.calls.withLock ? ports.calls.withLock(callSid, work) : work()));

  // Twilio answers a failed webhook by playing its own English "application error" to the caller:
  // an unexpected failure (store, port) says goodbye in the IVR's language instead. Status
  // callbacks have no caller listening, so they get a plain 500.
  app.setErrorHandler(async (error, request, reply) => {
    const status = errorStatus(error);
    const message = error instanceof Error ? error.message : String(error);
    if (status < 500) return reply.code(status).type('text/plain').send(message);
    warn({ url: request.url, err: message }, 'voice webhook failed');
    if (request.routeOptions.url?.endsWith('/status')) return reply.code(500).type('text/plain').send('Internal error');
    const response = new twilio.twiml.VoiceResponse();
    response.say({ language: 'es-MX' }, UNAVAILABLE_TEXT);
    response.hangup();
    return reply.code(200).type('text/xml').send(response.toString());
  });

  /** Signature before anything else; null when the reply (403/404) was already sent. */
  async function verify(request: Req, reply: FastifyReply): Promise<Verified | null> {
    const signature = request.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') {
      warn({ url: request.url }, 'voice webhook rejected: missing X-Twilio-Signature');
      await reply.code(403).type('text/plain').send('Forbidden: missing X-Twilio-Signature');
      return null;
    }
    const channel = await ports.channel(request.params.channelId);
    if (!channel) {
      await reply.code(404).type('text/plain').send('Not found: unknown voice channel');
      return null;
    }
    const form = isTwilioForm(request.body) ? request.body : parseTwilioForm('');
    const publicUrl = channel.publicUrl ?? ports.publicUrl;
    const url = `${publicUrl.replace(/\/+$/, '')}${request.url}`;
    let valid = false;
    try {
      valid = twilioSignatureValid(channel.authToken, signature, url, form);
    } catch {
      valid = false; // a URL the SDK cannot parse is not a URL Twilio signed
    }
    if (!valid) {
      warn({ channelId: channel.id, url }, 'voice webhook rejected: bad X-Twilio-Signature');
      await reply.code(403).type('text/plain').send('Forbidden: bad X-Twilio-Signature');
      return null;
    }
    // Only after the signature: a signed request from another account is still not ours.
    if (form.fields['AccountSid'] !== undefined && form.fields['AccountSid'] !== channel.accountSid) {
      warn({ channelId: channel.id }, 'voice webhook rejected: AccountSid of another account');
      await reply.code(403).type('text/plain').send('Forbidden: AccountSid does not match the channel');
      return null;
    }
    return { channel, form, urls: voiceWebhookUrls(publicUrl, channel.id) };
  }

  async function badRequest(reply: FastifyReply, reason: string): Promise<void> {
    await reply.code(400).type('text/plain').send(`Bad request: ${reason}`);
  }

  const sendTwiml = (reply: FastifyReply, twiml: string) => reply.code(200).type('text/xml').send(twiml);

  /** Polite end for a webhook we cannot place (unknown or finished call): never an application error. */
  function goodbye(channel: VoiceChannel): string {
    const response = new twilio.twiml.VoiceResponse();
    response.say(sayAttributes(channel.interpreter.tree), GONE_TEXT);
    response.hangup();
    return response.toString();
  }

  function unavailable(channel: VoiceChannel): string {
    const response = new twilio.twiml.VoiceResponse();
    response.say(sayAttributes(channel.interpreter.tree), UNAVAILABLE_TEXT);
    response.hangup();
    return response.toString();
  }

  function event(call: CallRecord, type: string, data: Record<string, string> = {}): void {
    call.events.push({ at: new Date().toISOString(), type, data });
  }

  /** The port's context, with the action URLs pointing at this plugin's routes. */
  function ivrContext(channel: VoiceChannel, call: CallRecord, urls: VoiceWebhookUrls): IvrContext {
    const base = ports.context(channel, call);
    return {
      actionUrl: (node) => urls.ivr(node),
      now: base.now,
      isOpen: (at) => base.isOpen(at),
      isHoliday: (at) => base.isHoliday(at),
      folioStatus: (folio) => base.folioStatus(folio),
      validNss: (raw) => base.validNss(raw),
      validCurp: (raw) => base.validCurp(raw),
      ...(base.voicemailWhenClosed === undefined ? {} : { voicemailWhenClosed: base.voicemailWhenClosed }),
    };
  }

  /** Stores one IVR step; a queue outcome puts the call in line and appends <Enqueue>. */
  async function applyStep(v: Verified, call: CallRecord, step: IvrStepResult): Promise<string> {
    call.state = step.state;
    call.outcome = step.outcome;
    event(call, 'ivr_outcome', { node: step.state.node, outcome: step.outcome.type });
    if (step.outcome.type === 'transfer_campaign') {
      const outcome = step.outcome;
      const transfer = ports.transferCampaign;
      if (transfer) return putInLine(v, call, step.twiml, () => transfer(v.channel, call, outcome));
      // Without the hub's router (tests of the plugin alone) the caller hears why the call ends.
      warn({ callSid: call.callSid, campaignId: outcome.campaignId }, 'voice: transfer to another campaign not available');
      event(call, 'transfer_unavailable', { campaignId: outcome.campaignId });
      return appendVerbs(step.twiml, unavailable(v.channel));
    }
    // Voicemail and call-back: the hub's voicemail module records / creates the call-back (its routes).
    if (step.outcome.type === 'voicemail' || step.outcome.type === 'callback') {
      const next = new twilio.twiml.VoiceResponse();
      next.redirect({ method: 'POST' }, v.urls.path(step.outcome.type === 'voicemail' ? 'voicemail/start' : 'callback/ivr'));
      return appendVerbs(step.twiml, next.toString());
    }
    if (step.outcome.type !== 'queue') return step.twiml;
    const outcome = step.outcome;
    return putInLine(v, call, step.twiml, () => ports.enqueue(v.channel, call, outcome));
  }

  /** The hub puts the call in line; the caller's TwiML ends in <Enqueue> (or an apology if that failed). */
  async function putInLine(v: Verified, call: CallRecord, twiml: string, enqueueCall: () => Promise<EnqueueResult>): Promise<string> {
    try {
      const { queueName, queueId } = await enqueueCall();
      event(call, 'enqueued', { queueName, conversationId: call.conversationId ?? '', folio: call.folio ?? '', queueId: queueId ?? '' });
      const enqueue = new twilio.twiml.VoiceResponse();
      // The action runs when the caller leaves the line without an agent (voicemail, call-back,
      // hang-up, error): the voicemail module answers it.
      enqueue.enqueue({ waitUrl: v.urls.wait, waitUrlMethod: 'POST', action: v.urls.path('queue/after'), method: 'POST' }, queueName);
      return appendVerbs(twiml, enqueue.toString());
    } catch (error) {
      warn({ callSid: call.callSid, err: error instanceof Error ? error.message : String(error) }, 'voice: enqueue failed');
      event(call, 'enqueue_failed');
      return appendVerbs(twiml, unavailable(v.channel));
    }
  }

  app.post<{ Params: Params }>(`${VOICE_WEBHOOK_ROOT}/:channelId/incoming`, async (request, reply) => {
    const v = await verify(request, reply);
    if (!v) return reply;
    const f = v.form.fields;
    const callSid = f['CallSid'] ?? '';
    if (!CALL_SID.test(callSid) || !f['From'] || !f['To']) return badRequest(reply, 'CallSid, From and To are required');
    return serialized(callSid, async () => {
      const existing = await ports.calls.get(callSid);
      // Twilio asks again when our first answer did not reach it: start over, keep the history.
      const call: CallRecord = existing ?? {
        callSid,
        channelId: v.channel.id,
        from: f['From'] ?? '',
        to: f['To'] ?? '',
        state: null,
        status: f['CallStatus'] ?? 'ringing',
        outcome: null,
        events: [],
      };
      event(call, existing ? 'incoming_repeated' : 'incoming', { from: call.from, to: call.to, status: f['CallStatus'] ?? '' });
      const step = await v.channel.interpreter.start(ivrContext(v.channel, call, v.urls));
      const twiml = await applyStep(v, call, step);
      await ports.calls.save(call);
      return sendTwiml(reply, twiml);
    });
  });

  app.post<{ Params: Params }>(`${VOICE_WEBHOOK_ROOT}/:channelId/ivr/:node`, async (request, reply) => {
    const v = await verify(request, reply);
    if (!v) return reply;
    const f = v.form.fields;
    const callSid = f['CallSid'] ?? '';
    if (!CALL_SID.test(callSid)) return badRequest(reply, 'CallSid is required');
    return serialized(callSid, async () => {
      const call = await ports.calls.get(callSid);
      // After a queue, dial or hangup outcome the IVR is over for this call: a later IVR webhook
      // is a replay, and starting the menu again would be worse than saying goodbye.
      const ivrOver = call?.outcome !== null && call?.outcome !== undefined && call.outcome.type !== 'continue';
      if (!call || call.channelId !== v.channel.id || !call.state || ivrOver || FINAL_CALL_STATUSES.has(call.status)) {
        warn({ callSid, channelId: v.channel.id }, 'voice: IVR webhook for an unknown or finished call');
        return sendTwiml(reply, goodbye(v.channel));
      }
      const node = request.params.node ?? '';
      // The interpreter answers at the node stored for the call (contract); a different node in
      // the URL is a late or replayed request, kept visible in the log and the history.
      if (node !== call.state.node) warn({ callSid, urlNode: node, stateNode: call.state.node }, 'voice: IVR webhook for another node');
      const input = {
        ...(f['Digits'] ? { digits: f['Digits'] } : {}),
        ...(f['SpeechResult'] ? { speech: f['SpeechResult'] } : {}),
      };
      event(call, 'ivr_input', { node: call.state.node, urlNode: node, ...input });
      const step = await v.channel.interpreter.answer(call.state, input, ivrContext(v.channel, call, v.urls));
      const twiml = await applyStep(v, call, step);
      await ports.calls.save(call);
      return sendTwiml(reply, twiml);
    });
  });

  app.post<{ Params: Params }>(`${VOICE_WEBHOOK_ROOT}/:channelId/wait`, async (request, reply) => {
    const v = await verify(request, reply);
    if (!v) return reply;
    const f = v.form.fields;
    const callSid = f['CallSid'] ?? '';
    if (!CALL_SID.test(callSid)) return badRequest(reply, 'CallSid is required');
    return serialized(callSid, async () => {
      const call = await ports.calls.get(callSid);
      if (!call || call.channelId !== v.channel.id || FINAL_CALL_STATUSES.has(call.status)) {
        warn({ callSid, channelId: v.channel.id }, 'voice: wait webhook for an unknown or finished call');
        return sendTwiml(reply, goodbye(v.channel));
      }
      const queue = {
        ...optionalInt('queuePosition', f['QueuePosition']),
        ...optionalInt('queueTime', f['QueueTime']),
        ...optionalInt('avgQueueTime', f['AvgQueueTime']),
      };
      const info = await ports.waitInfo(v.channel, call, queue);
      event(call, 'wait_announced', {
        position: String(info.position),
        estimatedWaitSeconds: info.estimatedWaitSeconds === null ? '' : String(info.estimatedWaitSeconds),
        queueTime: f['QueueTime'] ?? '',
      });
      await ports.calls.save(call);
      return sendTwiml(reply, waitTwiml({ info, tree: v.channel.interpreter.tree, holdMusicUrl, choiceUrl: v.urls.waitChoice }));
    });
  });

  app.post<{ Params: Params }>(`${VOICE_WEBHOOK_ROOT}/:channelId/wait-choice`, async (request, reply) => {
    const v = await verify(request, reply);
    if (!v) return reply;
    const f = v.form.fields;
    const callSid = f['CallSid'] ?? '';
    if (!CALL_SID.test(callSid)) return badRequest(reply, 'CallSid is required');
    return serialized(callSid, async () => {
      const call = await ports.calls.get(callSid);
      if (!call || call.channelId !== v.channel.id || FINAL_CALL_STATUSES.has(call.status)) {
        warn({ callSid, channelId: v.channel.id }, 'voice: wait-choice webhook for an unknown or finished call');
        return sendTwiml(reply, goodbye(v.channel));
      }
      const digits = f['Digits'] ?? '';
      event(call, 'wait_choice', { digits });
      const response = new twilio.twiml.VoiceResponse();
      const requested = digits === '1' ? 'voicemail_requested' : digits === '2' ? 'callback_requested' : null;
      if (requested) {
        // The <Enqueue action> (queue/after, the voicemail module) reads this event after <Leave/>:
        // it answers with the recording or creates the call-back.
        event(call, requested);
        response.leave();
      } else {
        // Any other key: back to the wait announcement, still in line.
        response.redirect({ method: 'POST' }, v.urls.wait);
      }
      await ports.calls.save(call);
      return sendTwiml(reply, response.toString());
    });
  });

  app.post<{ Params: Params }>(`${VOICE_WEBHOOK_ROOT}/:channelId/status`, async (request, reply) => {
    const v = await verify(request, reply);
    if (!v) return reply;
    const f = v.form.fields;
    const callSid = f['CallSid'] ?? '';
    const status = f['CallStatus'] ?? '';
    if (!CALL_SID.test(callSid) || status === '') return badRequest(reply, 'CallSid and CallStatus are required');
    return serialized(callSid, async () => {
      const call = await ports.calls.get(callSid);
      if (!call || call.channelId !== v.channel.id) {
        warn({ callSid, channelId: v.channel.id, status }, 'voice: status callback for an unknown call (ignored)');
        return sendTwiml(reply, new twilio.twiml.VoiceResponse().toString());
      }
      event(call, 'status', {
        status,
        ...(f['CallDuration'] !== undefined ? { duration: f['CallDuration'] } : {}),
        ...(f['Timestamp'] !== undefined ? { timestamp: f['Timestamp'] } : {}),
        ...(f['SequenceNumber'] !== undefined ? { sequence: f['SequenceNumber'] } : {}),
      });
      // Callbacks may arrive out of order: a final status is never overwritten by an earlier one.
      if (!FINAL_CALL_STATUSES.has(call.status)) {
        call.status = status;
        if (FINAL_CALL_STATUSES.has(status)) event(call, 'ended', { status, duration: f['CallDuration'] ?? '' });
      }
      await ports.calls.save(call);
      return sendTwiml(reply, new twilio.twiml.VoiceResponse().toString());
    });
  });

  const kit: VoiceWebhookKit = { ports, holdMusicUrl, verify, serialized, event, sendTwiml, badRequest, goodbye, unavailable, warn };
  for (const module of options.modules ?? []) await module(app, kit);
}

/** Fastify's own errors (415 unsupported type, 413 too large…) carry their status. */
function errorStatus(error: unknown): number {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return 500;
  return typeof error.statusCode === 'number' ? error.statusCode : 500;
}
