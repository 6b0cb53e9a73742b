/**
 * Test support for the voice webhooks alone: a real Fastify server on 127.0.0.1 with the plugin
 * and in-memory ports, running the demo IVR tree through the real interpreter, with the hub's own
 * NSS/CURP checks. The plugin mounted in a live hub (PostgreSQL store, router) is test/voice/core/.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createIvrInterpreter,
  demoIvrTree,
  InMemoryCallStore,
  ivrTreeSchema,
  voiceWebhooks,
  type CallRecord,
  type IvrOutcome,
  type VoiceBridgePorts,
  type VoiceChannel,
} from '@ventanilla/voice-bridge';
import { validateCurp, validateNss } from '../../hub/src/contacts/official-ids.js';
import { twilioSid } from '../harness/twilio-voice/index.js';

export interface VoiceTestApp {
  app: FastifyInstance;
  baseUrl: string;
  channel: VoiceChannel;
  store: InMemoryCallStore;
  /** Every call the plugin put in line, with what the IVR collected. */
  enqueued: { call: CallRecord; outcome: Extract<IvrOutcome, { type: 'queue' }> }[];
  waitRequests: { queuePosition?: number; queueTime?: number; avgQueueTime?: number }[];
  warnings: { obj: object; msg: string }[];
  /** Set to make the enqueue port fail (the router down). */
  enqueueError: Error | null;
  close(): Promise<void>;
}

export async function startVoiceTestApp(options: { open?: boolean; queueName?: string; holdMusicUrl?: string } = {}): Promise<VoiceTestApp> {
  const channel: VoiceChannel = {
    id: randomUUID(),
    campaignId: randomUUID(),
    accountSid: twilioSid('AC'),
    authToken: randomBytes(16).toString('hex'),
    interpreter: createIvrInterpreter(ivrTreeSchema.parse(demoIvrTree)),
  };
  const store = new InMemoryCallStore();
  const enqueued: VoiceTestApp['enqueued'] = [];
  const waitRequests: VoiceTestApp['waitRequests'] = [];
  const warnings: VoiceTestApp['warnings'] = [];
  const control: { enqueueError: Error | null } = { enqueueError: null };
  const ports: VoiceBridgePorts = {
    publicUrl: '',
    channel: async (id) => (id === channel.id ? channel : null),
    calls: store,
    context: () => ({
      actionUrl: () => 'http://wrong.invalid/the-plugin-must-replace-this',
      now: new Date(),
      isOpen: () => options.open ?? true,
      isHoliday: () => false,
      folioStatus: async () => null,
      validNss: (raw) => validateNss(raw).ok,
      validCurp: (raw) => validateCurp(raw).ok,
    }),
    enqueue: async (_channel, call, outcome) => {
      if (control.enqueueError) throw control.enqueueError;
      enqueued.push({ call: structuredClone(call), outcome: structuredClone(outcome) });
      return { queueName: options.queueName ?? `citas-${call.channelId.slice(0, 8)}` };
    },
    // The router's estimate later; here Twilio's own average for everyone ahead.
    waitInfo: async (_channel, _call, twilio) => {
      waitRequests.push(twilio);
      const position = twilio.queuePosition ?? 1;
      return { position, estimatedWaitSeconds: twilio.avgQueueTime === undefined ? null : twilio.avgQueueTime * position };
    },
    log: { warn: (obj, msg) => warnings.push({ obj, msg }) },
  };
  const app = Fastify();
  await app.register(voiceWebhooks, { ports, ...(options.holdMusicUrl ? { holdMusicUrl: options.holdMusicUrl } : {}) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the voice test app is not listening on TCP');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  ports.publicUrl = baseUrl;
  return {
    app,
    baseUrl,
    channel,
    store,
    enqueued,
    waitRequests,
    warnings,
    get enqueueError() {
      return control.enqueueError;
    },
    set enqueueError(error: Error | null) {
      control.enqueueError = error;
    },
    close: () => app.close(),
  };
}
