import type { VoiceRouteModule } from '@ventanilla/voice-bridge';
import type { HubContext } from '../../runtime/context.js';
import { callbackWebhooks } from '../callbacks/callback.webhooks.js';
import { voicemailWebhooks } from './voicemail.webhooks.js';

/** The voicemail and call-back part of the voice webhooks (issue 8 items 5–6): one entry of voiceRouteModules. */
export function voicemailRouteModule(ctx: HubContext): VoiceRouteModule {
  const voicemail = voicemailWebhooks(ctx);
  const callbacks = callbackWebhooks(ctx);
  return async (app, kit) => {
    await voicemail(app, kit);
    await callbacks(app, kit);
  };
}
