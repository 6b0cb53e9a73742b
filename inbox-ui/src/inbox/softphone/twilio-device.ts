import type { Call } from '@twilio/voice-sdk';
import type { SoftphoneCall, SoftphoneDevice, SoftphoneDeviceFactory, SoftphoneError } from './softphone-device.js';

function wrapCall(call: Call): SoftphoneCall {
  return {
    parameters: call.parameters,
    customParameters: call.customParameters,
    listen: (h) => {
      call.on('accept', () => h.accept());
      for (const end of ['disconnect', 'cancel', 'reject'] as const) call.on(end, () => h.ended());
      call.on('mute', (muted: boolean) => h.mute(muted));
      call.on('error', (error: SoftphoneError) => h.error(error));
    },
    accept: () => call.accept(),
    reject: () => call.reject(),
    disconnect: () => call.disconnect(),
    mute: (shouldMute) => call.mute(shouldMute),
  };
}

/**
 * The real SoftphoneDevice on @twilio/voice-sdk — the only file that loads the SDK, with a
 * dynamic import when an agent's softphone starts, so the inbox's main chunk stays small for
 * everyone else (Vite emits the SDK as its own chunk).
 */
export const createTwilioDevice: SoftphoneDeviceFactory = async (token) => {
  const { Call: CallClass, Device } = await import('@twilio/voice-sdk');
  const device = new Device(token, {
    // Opus first (wideband, copes with loss); PCMU as the fallback the PSTN side speaks anyway.
    codecPreferences: [CallClass.Codec.Opus, CallClass.Codec.PCMU],
    // Closing the tab mid-call would drop the agent from the citizen's call: ask first.
    closeProtection: true,
    logLevel: 'warn',
  });
  const adapter: SoftphoneDevice = {
    listen: (h) => {
      device.on('registering', () => h.registering());
      device.on('registered', () => h.registered());
      device.on('unregistered', () => h.unregistered());
      device.on('tokenWillExpire', () => h.tokenWillExpire());
      device.on('incoming', (call: Call) => h.incoming(wrapCall(call)));
      device.on('error', (error: SoftphoneError) => h.error(error));
    },
    register: () => device.register(),
    updateToken: (next) => device.updateToken(next),
    destroy: () => device.destroy(),
  };
  return adapter;
};
