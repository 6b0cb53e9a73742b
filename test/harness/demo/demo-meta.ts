import { MetaWebhookClient, startGraphApiDouble } from '../meta/index.js';
import { DEMO_CITIZENS, isRecord, text, uniqueSuffix, type DemoProvider, type OutboundSeen } from './demo-provider.js';

/** Invented Page and Instagram account ids, and visibly fake credentials. */
const PAGE_ID = '100000000000777';
const IG_ACCOUNT_ID = '17841400000000777';
const SECRETS = { pageAccessToken: 'EAAG-demo-arnes-pagina-ventanilla', appSecret: 'demo-arnes-meta-app-secret-0123456789', verifyToken: 'demo-arnes-verifica-meta' };

/**
 * Messenger and Instagram share one channel, as the adapter expects (a Page and the Instagram
 * account linked to it, one webhook, one Page token). Receipts as Meta sends them: Messenger
 * reports delivered (by mid) and read (by watermark), Instagram only seen (by mid).
 */
export async function startMetaDemo(hubUrl: string): Promise<DemoProvider> {
  const graph = await startGraphApiDouble({ pageAccessToken: SECRETS.pageAccessToken });
  let client: MetaWebhookClient | undefined;
  let seen = 0;
  const webhook = (): MetaWebhookClient => {
    if (!client) throw new Error('the Meta channel is not saved yet');
    return client;
  };
  return {
    kind: 'meta',
    label: 'Messenger + Instagram',
    lines: ['fb', 'ig'],
    harnessUrl: graph.url,
    plays: 'Meta Graph API Send API (/me/messages) y los webhooks «page» e «instagram» firmados con X-Hub-Signature-256; entregado/leído',
    spec: () => ({
      kind: 'meta',
      name: 'Demo Messenger + Instagram (harness)',
      settings: { pageId: PAGE_ID, instagramAccountId: IG_ACCOUNT_ID, graphBaseUrl: graph.url },
      secrets: { ...SECRETS },
    }),
    attach(channelId) {
      client = new MetaWebhookClient({ hubUrl, channelId, appSecret: SECRETS.appSecret, pageId: PAGE_ID, instagramAccountId: IG_ACCOUNT_ID });
    },
    async citizenSends(line, body) {
      const mid = `${line === 'ig' ? 'aWdfZGVtbw' : 'm_demo'}-${uniqueSuffix()}`;
      const response = line === 'ig' ? await webhook().instagramText(DEMO_CITIZENS.ig.igsid, mid, body) : await webhook().messengerText(DEMO_CITIZENS.fb.psid, mid, body);
      await response.arrayBuffer();
      return { status: response.status, providerMessageId: mid };
    },
    drainOutbound(ctx) {
      const fresh = graph.calls.slice(seen);
      seen = graph.calls.length;
      return fresh.map((call): OutboundSeen => {
        const instagram = call.recipientId === DEMO_CITIZENS.ig.igsid;
        const recipient = call.recipientId ?? '?';
        const mid = call.messageId;
        if (mid && instagram) {
          ctx.later(ctx.receiptDelaysMs.read, 'Instagram: visto / seen', () => webhook().instagramSeen(recipient, mid));
        } else if (mid) {
          ctx.later(ctx.receiptDelaysMs.delivered, 'Messenger: entregado / delivered', () => webhook().messengerDelivery(recipient, [mid]));
          // Messenger's read is a watermark naming no message: the hub acknowledges it and the
          // reply stays «delivered» (connectors/meta/README.md).
          ctx.later(ctx.receiptDelaysMs.read, 'Messenger: leído hasta aquí (marca de agua) / read watermark', () => webhook().messengerRead(recipient));
        }
        return { line: instagram ? 'ig' : 'fb', to: `${instagram ? 'IGSID' : 'PSID'} ${recipient}`, text: describe(call.message, call.file), status: call.status, providerMessageId: mid };
      });
    },
    stop: () => graph.close(),
  };
}

function describe(message: Record<string, unknown> | undefined, file: { filename: string } | undefined): string {
  if (file) return `[archivo / file ${file.filename}]`;
  if (!message) return '';
  const quickReplies = Array.isArray(message['quick_replies']) ? message['quick_replies'].map((q) => (isRecord(q) ? text(q['title']) : undefined)).filter(Boolean) : [];
  const body = text(message['text']) ?? (isRecord(message['attachment']) ? `[${text(message['attachment']['type']) ?? 'adjunto'}]` : '');
  return quickReplies.length > 0 ? `${body} [${quickReplies.join(' | ')}]` : body;
}
