import { TwilioHarness } from '../twilio/twilio-harness.js';
import { DEMO_CITIZENS, displayPhone, type DemoProvider, type OutboundSeen } from './demo-provider.js';

/** Harness credentials: a syntactically valid but fake Account SID (AC + 32 hex). */
const ACCOUNT_SID = `AC${'de30'.padEnd(32, '0')}`;
const AUTH_TOKEN = 'demo-arnes-twilio-auth-token';
/** The channel's sender number (invented). */
const SMS_FROM = '+525550001000';

/** SMS through Twilio: the REST double answers `Messages.json` and posts sent, then delivered, to the StatusCallback. */
export async function startSmsDemo(hubUrl: string): Promise<DemoProvider> {
  const harness = await new TwilioHarness(ACCOUNT_SID, AUTH_TOKEN).start();
  let channelId = '';
  let seen = 0;
  return {
    kind: 'sms',
    label: 'SMS',
    lines: ['sms'],
    harnessUrl: harness.url,
    plays: 'Twilio REST API (Messages.json) y sus webhooks firmados con X-Twilio-Signature; StatusCallback enviado/entregado',
    spec: () => ({
      kind: 'sms',
      name: 'Demo SMS (harness)',
      // Twilio signs the URL it calls: scheme, host and port are the hub's as the harness reaches it.
      settings: { accountSid: ACCOUNT_SID, from: SMS_FROM, webhookBaseUrl: hubUrl, apiBaseUrl: harness.url },
      secrets: { authToken: AUTH_TOKEN },
    }),
    attach(id) {
      channelId = id;
    },
    async citizenSends(_line, body) {
      const { response, sid } = await harness.webhooks.inbound(`${hubUrl}/webhooks/sms/${channelId}`, { from: DEMO_CITIZENS.sms.phone, to: SMS_FROM, body });
      await response.arrayBuffer();
      return { status: response.status, providerMessageId: sid };
    },
    drainOutbound(ctx) {
      const fresh = harness.messages.slice(seen);
      seen = harness.messages.length;
      return fresh.map((message): OutboundSeen => {
        if (message.statusCallback) {
          // SMS has no read receipt: delivered is as far as Twilio reports.
          ctx.later(ctx.receiptDelaysMs.delivered / 2, 'SMS: enviado / sent', () => harness.postStatus(message, { status: 'sent' }));
          ctx.later(ctx.receiptDelaysMs.delivered, 'SMS: entregado / delivered', () => harness.postStatus(message, { status: 'delivered' }));
        }
        const media = message.mediaUrl.length > 0 ? ` [${message.mediaUrl.length} archivo(s) / file(s)]` : '';
        return { line: 'sms', to: displayPhone(message.to), text: `${message.body}${media}`, status: 201, providerMessageId: message.sid };
      });
    },
    stop: () => harness.stop(),
  };
}
