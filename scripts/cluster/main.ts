import { startCluster, type Cluster } from './cluster.js';

/**
 * `npm run cluster`: 3 hub processes with HUB_ROLE=api on CLUSTER_API_PORTS (default 3001-3003),
 * 2 with HUB_ROLE=worker, and the round-robin load balancer on CLUSTER_PORT (default 3000). Every
 * other variable (DATABASE_URL, REDIS_URL, JWT_SECRET, …) goes to the hubs as is. SIGINT/SIGTERM
 * stop the hubs gracefully (each drains its workers and closes its connections), then the
 * balancer. A process that dies stays dead — the balancer skips it; restarting is the job of a
 * supervisor (systemd, Kubernetes), see the README, «Despliegue en producción / Production deployment».
 */

function portRange(spec: string, count: number): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!match) throw new Error(`CLUSTER_API_PORTS must look like 3001-3003, got "${spec}"`);
  const first = Number(match[1]);
  return Array.from({ length: count }, (_, i) => first + i);
}

async function main(): Promise<void> {
  const apis = Number(process.env['CLUSTER_APIS'] ?? 3);
  const workers = Number(process.env['CLUSTER_WORKERS'] ?? 2);
  const port = Number(process.env['CLUSTER_PORT'] ?? 3000);
  const apiPorts = portRange(process.env['CLUSTER_API_PORTS'] ?? `${port + 1}-${port + apis}`, apis);
  const host = process.env['CLUSTER_HOST'] ?? '127.0.0.1';
  let stopping = false;
  const env = { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' };
  process.stdout.write(`Iniciando ${apis} API + ${workers} workers / starting ${apis} API + ${workers} worker processes…\n`);
  const cluster: Cluster = await startCluster({
    env,
    apis,
    workers,
    host,
    port,
    apiPorts,
    onLine: (name, line) => process.stdout.write(`[${name}] ${line}\n`),
  });
  for (const child of cluster.all) {
    child.process.once('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`[${child.name}] terminó / exited (${code ?? signal}); no se reinicia / not restarted (supervisor's job)\n`);
    });
  }
  process.stdout.write(
    [
      `Balanceador / load balancer: ${cluster.lb.url}`,
      ...cluster.apis.map((a) => `  ${a.name}: ${a.url} (pid ${a.process.pid})`),
      ...cluster.workers.map((w) => `  ${w.name}: worker (pid ${w.process.pid})`),
      'Ctrl+C detiene todo / stops everything.',
      '',
    ].join('\n'),
  );
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`\n${signal}: deteniendo el clúster / stopping the cluster…\n`);
    cluster
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`No se pudo iniciar el clúster / the cluster could not start:\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
