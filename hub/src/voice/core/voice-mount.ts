import type { VoiceWebhooksOptions } from '@ventanilla/voice-bridge';
import type { HubContext } from '../../runtime/context.js';
import { voiceRouteModules } from '../voice-modules.js';
import { createVoicePorts } from './voice-ports.js';

/**
 * The Twilio Voice webhooks' options on the hub (issue 8): the hub's ports and every route module
 * of the bridge's parts. Registered in http/app.ts without a prefix (Twilio signs the exact URL):
 * `app.register(voiceWebhooks, voiceBridgeOptions(ctx))` → `/webhooks/voice/:channelId/…`.
 */
export function voiceBridgeOptions(ctx: HubContext): VoiceWebhooksOptions {
  return { ports: createVoicePorts(ctx), modules: voiceRouteModules.map((module) => module(ctx)) };
}
