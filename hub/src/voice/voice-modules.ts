import type { VoiceRouteModule } from '@ventanilla/voice-bridge';
import type { HubContext } from '../runtime/context.js';
import { agentVoiceModule } from './agent/agent.webhooks.js';
import { blasterRouteModule } from './blaster/blaster-webhooks.js';
import { voicemailRouteModule } from './voicemail/voicemail-route-module.js';
import { voiceSurveyModule } from './survey/voice-survey.module.js';
import { supervisionVoiceModule } from './supervision/supervision.webhooks.js';

/**
 * The voice webhook plugin's route modules (issue 8), one per part of the bridge: agent leg,
 * voicemail and call-backs, blaster, post-call survey. The hub's mount registers every one.
 */
export const voiceRouteModules: ReadonlyArray<(ctx: HubContext) => VoiceRouteModule> = [
  // The agent leg: the citizen into the conference, conference / leg / recording callbacks (voice/agent/).
  agentVoiceModule,
  // The blaster: answer / choice / status of outbound voice-message calls (voice/blaster/).
  blasterRouteModule,
  // Voicemail (the recording, queue/after) and call-backs (IVR request, the dialed citizen's leg) (voice/voicemail/, voice/callbacks/).
  voicemailRouteModule,
  // The post-call keypad survey: survey/start (the agent conversation's <Dial action>) and survey/answer (voice/survey/).
  voiceSurveyModule,
  // Supervision: the supervisor leg's status callback (voice/supervision/).
  supervisionVoiceModule,
];
