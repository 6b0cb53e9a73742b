import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Database } from '@ventanilla/hub';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test/e2e/artifacts');

/** Newest modification time under the given paths (files or folders). */
function newest(paths: string[]): number {
  let latest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  for (const p of paths) visit(p);
  return latest;
}

/**
 * Runs `build` while holding a lock folder under inbox-ui (mkdir is atomic): two test processes
 * never build the same bundle at once, and the second re-checks freshness after the first built.
 * A lock older than 5 minutes is a crashed build's and is taken over.
 */
export function withBuildLock(name: string, build: () => void): void {
  const lock = join(ROOT, `inbox-ui/.build-lock-${name}`);
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(wait, 0, 0, 250);
    }
  }
  try {
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function viteBuild(args: string[]): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', ...args, '--logLevel', 'warn'], { cwd: join(ROOT, 'inbox-ui'), stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

/** Builds `output` with vite (extra args) unless it is newer than every source it is made of. */
export function ensureBuilt(name: string, output: string, sources: string[], args: string[] = []): void {
  const out = join(ROOT, output);
  const paths = sources.map((p) => join(ROOT, p));
  const fresh = () => existsSync(out) && statSync(out).mtimeMs > newest(paths);
  if (fresh()) return;
  withBuildLock(name, () => {
    if (!fresh()) viteBuild(args);
  });
}

/** Builds inbox-ui/dist unless it is newer than every source it is made of. */
export function ensureInboxBuilt(): void {
  ensureBuilt('inbox', 'inbox-ui/dist/index.html', ['inbox-ui/src', 'inbox-ui/index.html', 'inbox-ui/vite.config.ts', 'hub/src/realtime/events.contract.ts', 'hub/src/inbox/canned-variables.ts']);
}

/** Builds inbox-ui/dist-widget/widget.js (the citizen's web chat widget) unless it is up to date. */
export function ensureWidgetBuilt(): void {
  ensureBuilt(
    'widget',
    'inbox-ui/dist-widget/widget.js',
    ['inbox-ui/src/widget', 'inbox-ui/src/api/api-error.ts', 'inbox-ui/src/i18n/lang.ts', 'inbox-ui/vite.widget.config.ts', 'hub/src/webchat/widget.contract.ts'],
    ['--config', 'vite.widget.config.ts'],
  );
}

/** Builds inbox-ui/dist-portal/portal.html (the citizens' appointment portal) unless it is up to date. */
export function ensurePortalBuilt(): void {
  ensureBuilt(
    'portal',
    'inbox-ui/dist-portal/portal.html',
    ['inbox-ui/src/portal', 'inbox-ui/src/api/api-error.ts', 'inbox-ui/src/i18n/lang.ts', 'inbox-ui/portal.html', 'inbox-ui/vite.portal.config.ts'],
    ['--config', 'vite.portal.config.ts'],
  );
}

/** Debian's Chromium (apt), with the flags that keep it off the network it must not use. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

/** A staff member logged in to the inbox in a fresh Chromium context (es-MX, reduced motion). */
export async function openStaffPage(browser: Browser, hubUrl: string, login: { email: string; password: string }, viewport = { width: 1360, height: 850 }, options: { acceptDownloads?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'es-MX', reducedMotion: 'reduce', ...options });
  const page = await context.newPage();
  await page.goto(hubUrl);
  await page.getByLabel('Correo electrónico').fill(login.email);
  await page.getByLabel('Contraseña').fill(login.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  return page;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core in the page; returns serious and critical violations only. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const require = createRequire(import.meta.url);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: require.resolve('axe-core') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * axe-core on the web chat widget alone: its host element and open shadow root, every impact
 * (the host page is not ours). `shadowNodesChecked` proves axe looked inside the shadow root.
 */
export async function widgetViolations(page: Page): Promise<{ violations: AxeViolation[]; shadowNodesChecked: number }> {
  const require = createRequire(import.meta.url);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: require.resolve('axe-core') });
  return page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
      passes: { nodes: { target: unknown }[] }[];
    }
    const isAxe = (value: unknown): value is { run(context: object, options: object): Promise<AxeResult> } => typeof value === 'object' && value !== null && 'run' in value;
    const axe: unknown = Reflect.get(window, 'axe');
    if (!isAxe(axe)) throw new Error('axe-core did not load');
    const run = await axe.run({ include: [['[data-ventanilla-widget]']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return {
      violations: run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) })),
      // Targets inside a shadow root are [[host selector, inner selector]].
      shadowNodesChecked: run.passes.flatMap((p) => p.nodes).filter((n) => Array.isArray(n.target) && Array.isArray(n.target[0])).length,
    };
  });
}

/** Whether the element has the keyboard focus inside its root (the document or a shadow root). */
export function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const root = el.getRootNode();
    return (root instanceof ShadowRoot || root instanceof Document) && root.activeElement === el;
  });
}

/**
 * A ministry's site on its own origin (another port: another origin) embedding the web chat
 * widget with the one-line tag; `pageFor(path)` says which channel (and data-locale) a path shows.
 * Its global CSS would wreck a widget that did not isolate itself.
 */
export async function startEmbeddingSite(hubUrl: string, pageFor: (path: string) => { channelId: string; locale?: string }): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const { channelId, locale } = pageFor(req.url ?? '/');
    const page = `<!doctype html>
<html lang="es-MX"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Portal ciudadano</title>
<style>* { font-family: Georgia, serif; color: #5a0000; letter-spacing: 0.08em; } button { background: #ffb6c1; border: 3px dashed #000; font-size: 28px; } p { font-size: 22px; }</style></head>
<body><header><a href="#tramites">Trámites</a> <a href="#citas">Citas</a></header>
<main><h1>Portal ciudadano</h1><p id="tramites">Consulte sus trámites en línea.</p><button type="button">Buscar</button></main>
<script src="${hubUrl}/widget.js" data-channel="${channelId}"${locale ? ` data-locale="${locale}"` : ''} async></script></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the site server has no port');
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A web chat channel whose widget the given site may embed (settings as an administrator writes them). */
export async function createWebchatChannel(db: Kysely<Database>, campaignId: string, siteOrigin: string, settings: Record<string, unknown> = {}): Promise<string> {
  const row = await db
    .insertInto('channels')
    .values({ campaign_id: campaignId, kind: 'webchat', name: 'Chat del portal', settings: JSON.stringify({ allowedOrigins: [siteOrigin], ...settings }), secrets: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

export interface Delivered {
  id: string;
  conversationId: string;
  folio: string;
  content: { type: string; text?: string };
}

/** The API channel's callback URL: what the citizen's system receives from the hub. */
export async function startCitizenSide(): Promise<{ url: string; delivered: Delivered[]; close(): Promise<void> }> {
  const delivered: Delivered[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as Delivered;
      delivered.push(message);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `citizen-${message.id}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/citizen`,
    delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A TCP proxy in front of the hub, so a test can cut the browser's network (HTTP and the
 * websocket alike) and bring it back: what a dropped Wi-Fi does to an agent.
 */
export async function startDropProxy(target: URL): Promise<{ url: string; drop(): void; restore(): void; close(): Promise<void> }> {
  const open = new Set<Socket>();
  let down = false;
  const server = createTcpServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    drop() {
      down = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A small solid-colour PNG (a scanned receipt stand-in) made in memory. */
export function makePng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])));
    return Buffer.concat([length, Buffer.from(type, 'ascii'), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3] ?? 0)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
