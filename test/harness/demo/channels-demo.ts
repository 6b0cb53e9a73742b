/**
 * `npm run demo:channels`: WhatsApp, SMS, Messenger, Instagram and X without real accounts. Run it
 * while `npm run demo` runs in another terminal:
 *
 *   npm run demo:channels
 *   npm run demo:channels -- --url http://127.0.0.1:3000 --campaign Derechohabientes
 *   npm run demo:channels -- --demo-file /tmp/demo/demo.json
 *
 * It reads the hub URL from data/demo.json (as `npm run simulate` does), starts the provider
 * harnesses of test/harness on 127.0.0.1, sets up one channel per provider in the campaign and
 * keeps running: replies from the inbox are printed and answered with delivery receipts. Lines
 * typed here (`wa Hola otra vez`, `sms …`, `fb …`, `ig …`, `x …`) are new citizen messages.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD } from '../../../hub/src/seed/demo-seed.js';
import { isCitizenLine } from './demo-provider.js';
import { DemoError } from './hub-admin-client.js';
import { runChannelsDemo, type ChannelsDemo } from './run-channels-demo.js';

export { runChannelsDemo, type ChannelsDemo, type ChannelsDemoOptions, type DemoChannelHandle } from './run-channels-demo.js';

const USAGE = `Uso / usage: npm run demo:channels -- [--url http://127.0.0.1:3000] [--demo-file data/demo.json]
  [--campaign Derechohabientes] [--email admin@demo.ventanilla.mx] [--password <contraseña de la demo>]`;

const HELP_LINES = [
  'Escriba para enviar otro mensaje de ciudadano / type to send another citizen message:',
  '  wa <texto>   sms <texto>   fb <texto>   ig <texto>   x <texto>      (Ctrl-C termina / stops)',
];

interface CliOptions {
  url: string;
  campaign: string;
  email: string;
  password: string;
}

async function readOptions(argv: string[]): Promise<CliOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      'demo-file': { type: 'string' },
      campaign: { type: 'string', default: 'Derechohabientes' },
      email: { type: 'string', default: 'admin@demo.ventanilla.mx' },
      password: { type: 'string', default: DEMO_PASSWORD },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const url = values.url ?? (await urlFromDemoFile(values['demo-file']));
  try {
    new URL(url);
  } catch {
    throw new DemoError(`--url no es una URL / is not a URL: ${url}`);
  }
  return { url: url.replace(/\/+$/, ''), campaign: values.campaign, email: values.email, password: values.password };
}

/** data/demo.json, written by `npm run demo` (its `url` is where the hub listens). */
async function urlFromDemoFile(given: string | undefined): Promise<string> {
  const file = resolve(given ?? resolve(process.env['DATA_DIR'] ?? 'data', 'demo.json'));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DemoError(`No se encontró ${file}: inicie primero el hub con «npm run demo» (en otra terminal) o indique --url. / ${file} not found: start the hub with \`npm run demo\` first, or pass --url.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DemoError(`${file} no es JSON válido / is not valid JSON`);
  }
  const url: unknown = typeof json === 'object' && json !== null ? Reflect.get(json, 'url') : undefined;
  if (typeof url !== 'string' || url === '') throw new DemoError(`${file} no tiene «url» / has no "url": pass --url`);
  return url;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Typed lines become citizen messages; a bad line gets a hint, never a crash. */
function listenForCitizens(demo: ChannelsDemo): void {
  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on('line', (raw) => {
    const input = raw.trim();
    if (input === '') return;
    const [word = '', ...rest] = input.split(/\s+/);
    const line = word.toLowerCase();
    const text = rest.join(' ');
    if (!isCitizenLine(line) || text === '') {
      console.log(HELP_LINES.join('\n'));
      return;
    }
    demo.send(line, text).catch((error: unknown) => console.log(`  ✗ ${error instanceof Error ? error.message : String(error)}`));
  });
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = await readOptions(process.argv.slice(2));
  } catch (error) {
    const known = error instanceof DemoError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    if (!known) throw error;
    console.error(`demo:channels: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!isLoopback(new URL(options.url).hostname)) {
    console.log(`  ⚠ ${options.url} no es local: el hub debe poder llegar a 127.0.0.1, donde escuchan los arneses. / the hub must reach 127.0.0.1, where the harnesses listen.`);
  }
  console.log(`Demo de canales sin cuentas reales / channels demo without real accounts → ${options.url}`);
  let demo: ChannelsDemo;
  try {
    demo = await runChannelsDemo({ url: options.url, adminEmail: options.email, password: options.password, campaign: options.campaign, log: (line) => console.log(line) });
  } catch (error) {
    if (!(error instanceof DemoError)) throw error;
    console.error(`demo:channels: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  console.log('');
  console.log(`Bandeja / inbox: ${demo.hubUrl}/  (agente1@demo.ventanilla.mx, contraseña / password ${DEMO_PASSWORD}); las respuestas se imprimen aquí / replies are printed here.`);
  console.log(HELP_LINES.join('\n'));
  listenForCitizens(demo);
  const shutdown = () => {
    void demo.stop().finally(() => {
      console.log('Demo de canales detenida / channels demo stopped.');
      process.exit(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
