import { loadConfig } from './config/config.js';
import { startHubProcess } from './runtime/hub-process.js';
import { exitOnStartupError, installShutdown } from './runtime/process-lifecycle.js';

/** Entry point of a hub process (HUB_ROLE=api|worker|all). Exits non-zero with a readable reason. */
async function main(): Promise<void> {
  const config = loadConfig();
  const hub = await startHubProcess(config);
  hub.ctx.logger.info({ role: config.HUB_ROLE, url: hub.url, metricsUrl: hub.metricsUrl, database: hub.ctx.db.kind }, 'hub started');
  installShutdown(async () => hub.stop());
}

main().catch(exitOnStartupError);
