import { startMetaDemo } from './demo-meta.js';
import { CITIZEN_DISPLAY, FIRST_MESSAGES, LINE_LABELS, type CitizenLine, type DemoProvider, type OutboundSeen, type ProviderContext } from './demo-provider.js';
import { startSmsDemo } from './demo-sms.js';
import { startWhatsAppDemo } from './demo-whatsapp.js';
import { startXDemo } from './demo-x.js';
import { connectHubAdmin, DemoError } from './hub-admin-client.js';

export interface ChannelsDemoOptions {
  /** The hub's base URL (the hub must reach 127.0.0.1, where the harnesses listen). */
  url: string;
  adminEmail: string;
  password: string;
  /** The campaign the channels belong to, by name or slug («Derechohabientes»). */
  campaign: string;
  log(line: string): void;
  /** How long after accepting a send the provider reports delivered and read (ms). */
  receiptDelaysMs?: { delivered: number; read: number };
  /** How often the harnesses' recorded sends are looked at (ms). */
  pollMs?: number;
}

export interface DemoChannelHandle {
  kind: DemoProvider['kind'];
  label: string;
  name: string;
  channelId: string;
  webhookUrl: string;
  harnessUrl: string;
  /** Found by name from an earlier run and updated (base URL, credentials), not created. */
  reused: boolean;
  lines: readonly CitizenLine[];
  settings: Record<string, unknown>;
}

export interface CitizenSent {
  status: number;
  providerMessageId: string;
}

export interface ReceiptPosted {
  what: string;
  status: number;
}

export interface ChannelsDemo {
  hubUrl: string;
  campaignId: string;
  campaignName: string;
  channels: DemoChannelHandle[];
  /** The first message each citizen sent (lines whose channel could not be set up are absent). */
  first: Partial<Record<CitizenLine, CitizenSent>>;
  /** Every send the hub made to a harness, in order. */
  outbound: OutboundSeen[];
  /** Every receipt a harness posted back, in order. */
  receipts: ReceiptPosted[];
  /** Another citizen message on that line (`wa Hola otra vez` in the terminal). */
  send(line: CitizenLine, text: string): Promise<CitizenSent>;
  stop(): Promise<void>;
}

const STARTERS = [startWhatsAppDemo, startSmsDemo, startMetaDemo, startXDemo];

/**
 * The channels demo without real accounts (issue 6 item 8): logs in as the admin, starts the
 * four provider harnesses on 127.0.0.1, creates (or, on a later run, finds by name and updates)
 * one channel per provider pointed at its harness, posts a signed first message from each demo
 * citizen, then keeps printing what the hub sends and answering with the provider's receipts.
 */
export async function runChannelsDemo(options: ChannelsDemoOptions): Promise<ChannelsDemo> {
  const { log } = options;
  // Before any harness starts: a hub that is down or a refused login stops here.
  const admin = await connectHubAdmin(options);
  const started = await Promise.all(STARTERS.map((start) => start(admin.url)));
  const providers: DemoProvider[] = [];
  const channels: DemoChannelHandle[] = [];
  try {
    for (const provider of started) {
      try {
        const saved = await admin.upsertChannel(provider.spec());
        provider.attach(saved.id);
        providers.push(provider);
        channels.push({ kind: provider.kind, label: provider.label, name: saved.name, channelId: saved.id, webhookUrl: `${admin.url}${saved.webhookPath}`, harnessUrl: provider.harnessUrl, reused: saved.reused, lines: provider.lines, settings: saved.settings });
      } catch (error) {
        if (!(error instanceof DemoError && error.channelOnly)) throw error;
        log(`  ⚠ ${error.message}`);
        await provider.stop();
      }
    }
  } catch (error) {
    await Promise.allSettled(started.map((p) => p.stop()));
    throw error;
  }
  if (channels.length === 0) throw new DemoError('Ningún canal de la demo pudo crearse en este hub / no demo channel could be set up on this hub.');

  log(`Canales de la campaña «${admin.campaignName}» / channels (webhook ← arnés / harness):`);
  for (const c of channels) log(`  ${c.label.padEnd(22)} ${c.reused ? 'reutilizado / reused' : 'creado / created    '}  ${c.webhookUrl}  ← ${c.harnessUrl}`);

  const timers = new Set<NodeJS.Timeout>();
  const outbound: OutboundSeen[] = [];
  const receipts: ReceiptPosted[] = [];
  let stopped = false;
  const ctx: ProviderContext = {
    receiptDelaysMs: options.receiptDelaysMs ?? { delivered: 600, read: 1800 },
    later(delayMs, what, task) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped) return;
        void task().then(
          async (response) => {
            if (response instanceof Response) await response.arrayBuffer();
            receipts.push({ what, status: response.status });
            log(response.status >= 200 && response.status < 300 ? `    ✓ ${what}` : `    ✗ ${what}: el hub respondió / the hub answered ${response.status}`);
          },
          (error: unknown) => {
            if (!stopped) log(`    ✗ ${what}: ${error instanceof Error ? error.message : String(error)}`);
          },
        );
      }, delayMs);
      timers.add(timer);
    },
  };

  const poll = setInterval(() => {
    for (const provider of providers) {
      for (const seen of provider.drainOutbound(ctx)) {
        outbound.push(seen);
        const ok = seen.status >= 200 && seen.status < 300;
        log(ok ? `${LINE_LABELS[seen.line]} → ${seen.to}: ${seen.text}` : `${LINE_LABELS[seen.line]} ✗ ${seen.status} → ${seen.to}: ${seen.text} (el arnés rechazó el envío / the harness refused the send)`);
      }
    }
  }, options.pollMs ?? 150);

  const byLine = new Map<CitizenLine, DemoProvider>(providers.flatMap((p) => p.lines.map((line) => [line, p] as const)));
  const send = async (line: CitizenLine, text: string): Promise<CitizenSent> => {
    const provider = byLine.get(line);
    if (!provider) throw new DemoError(`El canal de «${line}» no está activo en esta demo / the "${line}" channel is not active.`);
    const sent = await provider.citizenSends(line, text);
    const ok = sent.status >= 200 && sent.status < 300;
    log(`${LINE_LABELS[line]} ← ${CITIZEN_DISPLAY[line]}: «${text}»${ok ? '' : `  ✗ el hub respondió / the hub answered ${sent.status}`}`);
    return sent;
  };

  const first: Partial<Record<CitizenLine, CitizenSent>> = {};
  const demo: ChannelsDemo = {
    hubUrl: admin.url,
    campaignId: admin.campaignId,
    campaignName: admin.campaignName,
    channels,
    first,
    outbound,
    receipts,
    send,
    async stop() {
      stopped = true;
      clearInterval(poll);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled(providers.map((p) => p.stop()));
    },
  };
  log('Mensajes de ciudadanos de prueba / demo citizens write:');
  try {
    for (const line of byLine.keys()) first[line] = await send(line, FIRST_MESSAGES[line]);
  } catch (error) {
    await demo.stop();
    throw error;
  }
  return demo;
}
