import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig, readEnvironment } from './config/config.js';
import { startHubProcess } from './runtime/hub-process.js';
import { exitOnStartupError, installShutdown } from './runtime/process-lifecycle.js';
import { seedDemoBot } from './seed/demo-bot.js';
import { DEMO_PASSWORD, seedDemo } from './seed/demo-seed.js';
import { demoOrigins, seedDemoWebchat } from './seed/demo-webchat.js';
import { seedDemoVoice } from './seed/demo-voice.js';

/**
 * `npm run demo`: the whole hub in one process on a fresh machine — embedded PostgreSQL
 * unless DATABASE_URL is set, demo data seeded once, API + workers, then the logins.
 */
async function demo(): Promise<void> {
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'warn', ...readEnvironment(), HUB_ROLE: 'all' };
  const dataDir = resolve(env['DATA_DIR'] ?? './data');
  mkdirSync(dataDir, { recursive: true });
  env['JWT_SECRET'] ??= devSecret(dataDir);
  const config = loadConfig(env);
  const hub = await startHubProcess(config);
  installShutdown(async () => hub.stop());
  const seed = await seedDemo(hub.ctx.db.kysely);
  const url = config.PUBLIC_URL ?? hub.url ?? `http://${config.HOST}:${config.PORT}`;
  const webchatId = await seedDemoWebchat(hub.ctx.db.kysely, demoOrigins(url));
  // The demo bot after the web chat exists, so the demo page's chat meets the bot first (issue 7).
  const bot = await seedDemoBot(hub.ctx.db.kysely);
  const voice = await seedDemoVoice(hub.ctx.db.kysely);
  writeFileSync(join(dataDir, 'demo.json'), JSON.stringify({ url, channels: seed.channels, botChannels: bot.botChannels, voiceChannels: voice }, null, 2));

  const lines = [
    '',
    `  Ventanilla — hub de atención ciudadana (demo)${seed.seeded ? ' · datos de demostración creados' : ''}`,
    '',
    `  URL:            ${url}`,
    ...(existsSync(new URL('../../inbox-ui/dist/index.html', import.meta.url)) ? [`  Bandeja/inbox:  ${url}/  (agentes / agents: agente1@demo.ventanilla.mx …)`] : []),
    `  API docs:       ${url}/api/docs`,
    `  Salud/health:   ${url}/readyz`,
    `  Base de datos:  ${hub.ctx.db.kind === 'embedded' ? `PostgreSQL embebido en ${join(dataDir, 'pgdata')}` : 'PostgreSQL (DATABASE_URL)'}`,
    '',
    `  Usuarios demo (contraseña / password: ${DEMO_PASSWORD}):`,
    ...seed.users.map((u) => `    ${u.email.padEnd(34)} ${u.roles.join(', ')}`),
    '',
    '  Canales API / API channels (webhook, signed with X-Ventanilla-Signature):',
    ...seed.channels.map((c) => `    ${c.campaign.padEnd(18)} POST ${url}/webhooks/api/${c.id}`),
    `  Secrets in ${join(dataDir, 'demo.json')}. Try:  npm run simulate -- --rate 5 --duration 10`,
    '',
    '  Asistente virtual / demo bot (the bot answers first; "quiero hablar con un agente" hands off):',
    ...bot.botChannels.map((c) => `    ${c.campaign.padEnd(18)} POST ${url}/webhooks/api/${c.id}`),
    '',
    '  Teléfono / Twilio Voice (demo IVR; voice URL and status callback of a Twilio number, signed with X-Twilio-Signature):',
    ...voice.flatMap((c) => [`    ${c.campaign.padEnd(18)} POST ${url}/webhooks/voice/${c.id}/incoming`, `    ${''.padEnd(18)} POST ${url}/webhooks/voice/${c.id}/status`]),
    ...(webchatId
      ? [
          '',
          '  Chat web / web chat widget (one tag on any allowed site):',
          `    Demo page:     ${url}/widget-demo.html?channel=${webchatId}`,
          `    Embed:         <script src="${url}/widget.js" data-channel="${webchatId}" async></script>`,
        ]
      : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A per-installation secret kept under DATA_DIR, so demo logins survive restarts. */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'dev-jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

demo().catch(exitOnStartupError);
