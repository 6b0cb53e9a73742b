import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `docker compose config` (v2) where installed, else `docker-compose config` (v1, what CI installs). */
function composeConfig(env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const v2 = spawnSync('docker', ['compose', 'version'], { stdio: 'pipe' }).status === 0;
  const [command, args] = v2 ? ['docker', ['compose', 'config']] : ['docker-compose', ['config']];
  const run = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('docker-compose.yml', () => {
  it('is a valid Compose file with hub, worker, PostgreSQL and a persistent Redis', () => {
    const { status, output } = composeConfig({ ...process.env, JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters' });
    expect(status).toBe(0);
    for (const service of ['hub:', 'worker:', 'postgres:', 'redis:']) expect(output).toContain(`  ${service}`);
    expect(output).toMatch(/HUB_ROLE: api/);
    expect(output).toMatch(/HUB_ROLE: worker/);
    expect(output).toContain('--appendonly');
  });

  it('refuses to render without JWT_SECRET, naming it', () => {
    const env = { ...process.env };
    delete env['JWT_SECRET'];
    const { status, output } = composeConfig(env);
    expect(status).not.toBe(0);
    expect(output).toContain('JWT_SECRET');
  });
});
