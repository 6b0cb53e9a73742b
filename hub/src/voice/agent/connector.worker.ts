import type { HubContext } from '../../runtime/context.js';
import { AgentVoiceChannels } from './agent-channel.js';
import { VoiceAgentConnector } from './connector.js';

/**
 * The agent connector of one worker process: a tick every 500 ms, plus one right after a routing
 * pass that claimed conversations (an auto-accepted voice offer is assigned in that pass). Any
 * number of processes may run it (connector.ts claims each dial in PostgreSQL).
 */
export function startVoiceAgentConnector(ctx: Pick<HubContext, 'db' | 'channels' | 'config' | 'logger' | 'router'>, intervalMs = 500): VoiceAgentConnector {
  const connector = new VoiceAgentConnector(
    {
      db: ctx.db.kysely,
      channels: new AgentVoiceChannels(ctx.channels, ctx.config),
      logger: ctx.logger,
      applyEffects: (effects) => ctx.router.apply(effects),
    },
    intervalMs,
  );
  ctx.router.onPass((result) => {
    if (result.claimed.length > 0) connector.kick();
  });
  connector.start();
  return connector;
}
