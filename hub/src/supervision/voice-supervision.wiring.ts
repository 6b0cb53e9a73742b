import type { HubContext } from '../runtime/context.js';
import { createVoiceSupervision } from '../voice/supervision/voice-supervision.usecase.js';
import type { VoiceSupervisionPort } from './voice-supervision.port.js';

/**
 * The voice bridge's side of supervision: hub/src/voice/supervision implements
 * VoiceSupervisionPort over the call's Twilio conference (one instance per app). Tests of text
 * channels and of the dispatch inject their own port through supervisionRoutes / SupervisionService.
 */
export function voiceSupervisionFor(ctx: HubContext): VoiceSupervisionPort | null {
  return createVoiceSupervision(ctx);
}
