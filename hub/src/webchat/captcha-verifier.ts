import type { WebchatChannelSettings } from '@ventanilla/connectors';
import type { CaptchaChallenge, CaptchaSolution } from './widget.contract.js';

export type CaptchaSettings = WebchatChannelSettings['captcha'];
export type CaptchaKind = CaptchaSettings['kind'];

/**
 * A CAPTCHA check on the pre-chat and leave-a-message forms (issue 5 item 5). One implementation
 * per `captcha.kind` of the channel settings, in the typed registry of captcha-registry.ts; README.md
 * says how to plug in a hosted one (hCaptcha, reCAPTCHA).
 */
export interface CaptchaVerifier {
  readonly kind: CaptchaKind;
  /** A fresh challenge for the widget to solve (null for verifiers the widget needs none from us). */
  issue(channelId: string, settings: CaptchaSettings): Promise<CaptchaChallenge | null>;
  /** True once for a correct solution of a challenge issued to this channel; false otherwise. */
  verify(solution: CaptchaSolution | undefined, channelId: string, settings: CaptchaSettings): Promise<boolean>;
}
