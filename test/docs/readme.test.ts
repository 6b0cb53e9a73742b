import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configTableMarkdown } from '../../hub/src/config/config-docs.js';
import { configSchema } from '@ventanilla/hub';
import { createTestHub, type TestHub } from '../support/test-context.js';

/** The README is the product's front page: what it promises is checked against the code. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const QUICK_START = ['npm ci && npm run demo', 'npm test'];

let readme: string;
beforeAll(async () => {
  readme = await readFile(`${ROOT}README.md`, 'utf8');
});

/** The text of the `## <title>` section, up to the next level-2 heading. */
function section(markdown: string, title: string): string {
  const start = markdown.search(new RegExp(`^## ${title}\\s*$`, 'm'));
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Commands in the section's fenced shell blocks (```bash / ```sh), comments and blanks dropped. */
function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```(?:bash|sh|shell)\n([\s\S]*?)^```/gm)) {
    for (const line of (block[1] ?? '').split('\n')) {
      const command = line.trim();
      if (command && !command.startsWith('#')) commands.push(command);
    }
  }
  return commands;
}

/** Routes of a built app, from Fastify's route tree: "METHOD /path" (HEAD left out). */
function listRoutes(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)(?:├── |└── )(.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method && method !== 'HEAD') routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

describe('README', () => {
  it('has a configuration table identical to the one generated from the config schema', () => {
    const match = /<!-- config:start -->\n([\s\S]*?)<!-- config:end -->/.exec(readme);
    expect(match, 'README lacks the <!-- config:start --> … <!-- config:end --> markers').not.toBeNull();
    const table = configTableMarkdown();
    expect(match?.[1], 'README configuration table is stale: paste the output of `npm run docs:config`').toBe(table);
    for (const name of Object.keys(configSchema.shape)) expect(table).toContain(`| \`${name}\` |`);
  });

  it('documents every configuration variable with a meaning', () => {
    for (const [name, field] of Object.entries(configSchema.shape)) {
      expect(field.description, `${name} needs .describe() in config.schema.ts`).toMatch(/\S{3}/);
    }
  });

  it('gives exactly two quick-start commands, run then test, backed by package scripts', async () => {
    expect(shellCommands(section(readme, 'Quick start'))).toEqual(QUICK_START);
    const pkg: unknown = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8'));
    const scripts: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'scripts') : undefined;
    expect(scripts).toMatchObject({ demo: expect.any(String), test: expect.any(String), simulate: expect.any(String), 'docs:config': expect.any(String) });
  });

  it('explains why PostgreSQL and not MongoDB, and durability', () => {
    const why = section(readme, 'Why PostgreSQL and not MongoDB');
    expect(why).toMatch(/Chatwoot/);
    expect(why).toMatch(/Zammad/);
    expect(why).toMatch(/transaction/i);
    expect(section(readme, 'Durability: what "acknowledged" means')).toMatch(/appendonly yes/);
  });
});

describe('README webhook list', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
    // Let the fresh connections finish their handshake before cleanup closes them.
    await hub.ctx.redis.ping();
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  it('lists every webhook route the app registers, and no route it does not', () => {
    const routes = listRoutes(hub.app.printRoutes({ commonPrefix: false }));
    expect(routes, 'route tree could not be read').toContain('GET /healthz');
    const webhooks = routes.filter((r) => r.split(' ')[1]?.startsWith('/webhooks/'));
    expect(webhooks.length).toBeGreaterThan(0);
    for (const route of webhooks) expect(readme, `README does not list ${route}`).toContain(`\`${route}\``);

    const documented = [...readme.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) (\/webhooks\/[A-Za-z0-9/:_.{}-]+)/g)].map((m) => `${m[1]} ${m[2]}`);
    for (const route of new Set(documented)) expect(webhooks, `README lists ${route}, which the app does not register`).toContain(route);
  });

  it('lists the health, metrics, OpenAPI and realtime endpoints', () => {
    const routes = listRoutes(hub.app.printRoutes({ commonPrefix: false }));
    for (const route of ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /api/v1/openapi.json', 'GET /api/docs']) {
      expect(routes).toContain(route);
      expect(readme).toContain(`\`${route}\``);
    }
    expect(readme).toContain('/staff');
    expect(readme).toContain('auth.token');
  });
});
