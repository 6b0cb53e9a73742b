import { startXApiDouble, XWebhookClient } from '../x/index.js';
import { DEMO_CITIZENS, isRecord, text, uniqueSuffix, type DemoProvider, type OutboundSeen } from './demo-provider.js';

/** An invented business account id and visibly fake credentials. */
const ACCOUNT_ID = '1000000000000000777';
const CONSUMER_SECRET = 'demo-arnes-x-consumer-secret-0123456789';
const USER_TOKEN = 'demo-arnes-x-user-access-token';

/** X direct messages: the API v2 DM double answers sends; X reports only reads (mark-read events). */
export async function startXDemo(hubUrl: string): Promise<DemoProvider> {
  const api = await startXApiDouble({ accountId: ACCOUNT_ID, userAccessToken: USER_TOKEN });
  let client: XWebhookClient | undefined;
  let seen = 0;
  const webhook = (): XWebhookClient => {
    if (!client) throw new Error('the X channel is not saved yet');
    return client;
  };
  const citizen = { ...DEMO_CITIZENS.x };
  return {
    kind: 'x',
    label: 'X',
    lines: ['x'],
    harnessUrl: api.url,
    plays: 'X API v2 (POST /2/dm_conversations/with/:id/messages) y la Account Activity API firmada con x-twitter-webhooks-signature; leído',
    spec: () => ({ kind: 'x', name: 'Demo X (harness)', settings: { accountId: ACCOUNT_ID, apiBaseUrl: api.url }, secrets: { consumerSecret: CONSUMER_SECRET, userAccessToken: USER_TOKEN } }),
    attach(channelId) {
      client = new XWebhookClient({ hubUrl, channelId, consumerSecret: CONSUMER_SECRET, accountId: ACCOUNT_ID });
    },
    async citizenSends(_line, body) {
      const id = `18${uniqueSuffix()}`;
      const response = await webhook().dm({ id, from: citizen, text: body });
      await response.arrayBuffer();
      return { status: response.status, providerMessageId: id };
    },
    drainOutbound(ctx) {
      const fresh = api.calls.slice(seen);
      seen = api.calls.length;
      return fresh.map((call): OutboundSeen => {
        const eventId = call.dmEventId;
        if (eventId) ctx.later(ctx.receiptDelaysMs.read, 'X: leído / read', () => webhook().markRead(call.participantId, eventId));
        const to = call.participantId === citizen.id ? `@${citizen.screen_name}` : call.participantId;
        return { line: 'x', to, text: (isRecord(call.body) ? text(call.body['text']) : undefined) ?? '', status: call.status, providerMessageId: eventId };
      });
    },
    stop: () => api.close(),
  };
}
