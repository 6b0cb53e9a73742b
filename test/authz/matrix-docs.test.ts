import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { authorizationMatrixMarkdown } from '../../hub/src/auth/access-policy/access-policy.markdown.js';
import { ACCESS_POLICY, SOCKET_EVENTS } from '../../hub/src/auth/access-policy/access-policy.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('docs/authorization-matrix.md', () => {
  it('is exactly what `npm run -s docs:authz` generates from the declared policy', async () => {
    const committed = await readFile(`${ROOT}docs/authorization-matrix.md`, 'utf8');
    expect(committed, 'stale: run `npm run -s docs:authz > docs/authorization-matrix.md`').toBe(authorizationMatrixMarkdown());
  });

  it('has one row per declared route and socket event, with a campaign column', async () => {
    const pkg: unknown = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8'));
    const scripts: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'scripts') : undefined;
    expect(scripts).toMatchObject({ 'docs:authz': expect.stringContaining('authorizationMatrixMarkdown') });
    const markdown = authorizationMatrixMarkdown();
    expect(markdown).toContain('| Campaña |');
    for (const rule of ACCESS_POLICY) expect(markdown).toContain(`| ${rule.method} | \`${rule.url}\` |`);
    for (const event of SOCKET_EVENTS) expect(markdown).toContain(`| ${event.namespace} | \`${event.event}\` |`);
    expect(markdown).toMatch(/\| GET \| `\/api\/v1\/billing\/campaigns\/:campaignId\/rate-card` \| ✓ \| ✓ \| ✗ \| ✗ \| ✓ \| ✗ \| ruta \/ path \|/);
  });
});
