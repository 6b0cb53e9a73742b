/**
 * The slice of the Twilio Voice JS SDK the softphone uses. The module's logic only sees these
 * interfaces; `twilio-device.ts` is the one file that touches the SDK, so the logic is tested with
 * a fake device (Twilio's servers are unreachable from tests).
 */

/** What the SDK reports as an error: a TwilioError (numeric code) or a browser DOMException. */
export interface SoftphoneError {
  code?: number;
  name?: string;
  message?: string;
}

export interface SoftphoneCallHandlers {
  accept(): void;
  /** Ended: hung up by either side, cancelled before answer, or rejected. */
  ended(): void;
  mute(muted: boolean): void;
  error(error: SoftphoneError): void;
}

export interface SoftphoneCall {
  /** Twilio's call parameters (`From`, `CallSid`…). */
  readonly parameters: Record<string, string>;
  /** `<Parameter>`s the dialing side attached (e.g. `folio`), if any. */
  readonly customParameters: Map<string, string>;
  listen(handlers: SoftphoneCallHandlers): void;
  accept(): void;
  reject(): void;
  disconnect(): void;
  mute(shouldMute: boolean): void;
}

export interface SoftphoneDeviceHandlers {
  registering(): void;
  registered(): void;
  unregistered(): void;
  tokenWillExpire(): void;
  incoming(call: SoftphoneCall): void;
  error(error: SoftphoneError): void;
}

export interface SoftphoneDevice {
  listen(handlers: SoftphoneDeviceHandlers): void;
  register(): Promise<void>;
  updateToken(token: string): void;
  destroy(): void;
}

/** Builds a device for an access token (async: the SDK is loaded on demand). */
export type SoftphoneDeviceFactory = (token: string) => Promise<SoftphoneDevice>;
