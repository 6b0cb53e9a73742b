import { startWhatsAppHarness } from '../whatsapp/index.js';
import { DEMO_CITIZENS, displayPhone, isRecord, text, type DemoProvider, type OutboundSeen } from './demo-provider.js';

/** Harness credentials: fixed and visibly fake, so a second run finds them unchanged. */
const ACCESS_TOKEN = 'EAAG-demo-arnes-whatsapp-ventanilla';
const APP_SECRET = 'demo-arnes-whatsapp-app-secret-0123456789';
const VERIFY_TOKEN = 'demo-arnes-verifica-whatsapp';
const PHONE_NUMBER_ID = '106540352242922';

/** WhatsApp Cloud API: the Graph API double answers sends with wamids and reports delivered, then read. */
export async function startWhatsAppDemo(hubUrl: string): Promise<DemoProvider> {
  const harness = await startWhatsAppHarness({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID });
  let channelId = '';
  let seen = 0;
  return {
    kind: 'whatsapp',
    label: 'WhatsApp',
    lines: ['wa'],
    harnessUrl: harness.baseUrl,
    plays: 'Meta Graph API (WhatsApp Cloud API): firma los webhooks con X-Hub-Signature-256, responde los envíos y manda entregado/leído',
    spec: () => ({
      kind: 'whatsapp',
      name: 'Demo WhatsApp (harness)',
      settings: {
        phoneNumberId: PHONE_NUMBER_ID,
        graphBaseUrl: harness.baseUrl,
        templates: [{ name: 'seguimiento_tramite', language: 'es_MX', category: 'utility', body: 'Hola {{1}}, su trámite {{2}} sigue en proceso.', variables: 2 }],
      },
      secrets: { accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
    }),
    attach(id) {
      channelId = id;
    },
    async citizenSends(_line, body) {
      const sent = await harness.postMessage(hubUrl, channelId, APP_SECRET, { from: DEMO_CITIZENS.wa.waId, name: DEMO_CITIZENS.wa.name, type: 'text', text: body });
      return { status: sent.status, providerMessageId: sent.wamid };
    },
    drainOutbound(ctx) {
      const fresh = harness.calls.slice(seen);
      seen = harness.calls.length;
      return fresh.map((call): OutboundSeen => {
        const to = text(call.body['to']) ?? '';
        const wamid = call.wamid;
        if (wamid) {
          // Meta reports the recipient as their wa_id: 521 + 10 digits for a Mexican mobile.
          const recipientId = /^52\d{10}$/.test(to) ? `521${to.slice(2)}` : to;
          const post = (status: 'delivered' | 'read') => () => harness.postStatus(hubUrl, channelId, APP_SECRET, { wamid, status, recipientId });
          ctx.later(ctx.receiptDelaysMs.delivered, 'WhatsApp: entregado / delivered', post('delivered'));
          ctx.later(ctx.receiptDelaysMs.read, 'WhatsApp: leído / read', post('read'));
        }
        return { line: 'wa', to: displayPhone(to), text: describe(call.body), status: call.answered, providerMessageId: wamid };
      });
    },
    stop: () => harness.stop(),
  };
}

/** A Cloud API send body as a line of text: text, buttons, a template or a file. */
function describe(body: Record<string, unknown>): string {
  const type = text(body['type']) ?? '?';
  const part = body[type];
  if (type === 'text' && isRecord(part)) return text(part['body']) ?? '';
  if (type === 'interactive' && isRecord(part)) {
    const bodyText = isRecord(part['body']) ? (text(part['body']['text']) ?? '') : '';
    const action = isRecord(part['action']) ? part['action'] : {};
    const buttons = Array.isArray(action['buttons']) ? action['buttons'].map((b) => (isRecord(b) && isRecord(b['reply']) ? text(b['reply']['title']) : undefined)).filter(Boolean) : [];
    return buttons.length > 0 ? `${bodyText} [${buttons.join(' | ')}]` : bodyText;
  }
  if (type === 'template' && isRecord(part)) return `[plantilla / template ${text(part['name']) ?? '?'}] ${JSON.stringify(part['components'] ?? [])}`;
  if (isRecord(part)) return `[${type}] ${text(part['caption']) ?? text(part['filename']) ?? ''}`.trim();
  return `[${type}]`;
}
