import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.js';
import type { AgentEndpointView, SoftphoneApi, SoftphoneTokenView } from './softphone-api.js';
import type { SoftphoneCall, SoftphoneCallHandlers, SoftphoneDevice, SoftphoneDeviceHandlers, SoftphoneError } from './softphone-device.js';
import { SoftphoneController, type SoftphoneState } from './softphone.controller.js';
import { softphoneText } from './softphone-messages.js';
import { softphoneStatusText } from './softphone-status.js';

class FakeCall implements SoftphoneCall {
  handlers: SoftphoneCallHandlers | null = null;
  accepted = 0;
  rejected = 0;
  disconnected = 0;
  muted = false;
  constructor(
    readonly parameters: Record<string, string>,
    readonly customParameters = new Map<string, string>(),
  ) {}
  listen(handlers: SoftphoneCallHandlers): void {
    this.handlers = handlers;
  }
  accept(): void {
    this.accepted++;
    this.handlers?.accept();
  }
  reject(): void {
    this.rejected++;
    this.handlers?.ended();
  }
  disconnect(): void {
    this.disconnected++;
    this.handlers?.ended();
  }
  mute(shouldMute: boolean): void {
    this.muted = shouldMute;
    this.handlers?.mute(shouldMute);
  }
}

class FakeDevice implements SoftphoneDevice {
  handlers: SoftphoneDeviceHandlers | null = null;
  registered = 0;
  destroyed = 0;
  tokens: string[] = [];
  constructor(readonly token: string, private readonly registerError: SoftphoneError | null = null) {}
  listen(handlers: SoftphoneDeviceHandlers): void {
    this.handlers = handlers;
  }
  async register(): Promise<void> {
    this.registered++;
    this.handlers?.registering();
    if (this.registerError) {
      this.handlers?.error(this.registerError);
      return;
    }
    this.handlers?.registered();
  }
  updateToken(token: string): void {
    this.tokens.push(token);
  }
  destroy(): void {
    this.destroyed++;
  }
}

function setup(opts: { endpoint?: AgentEndpointView; tokens?: (SoftphoneTokenView | ApiError)[]; registerError?: SoftphoneError; autoAnswer?: boolean; folio?: string | null } = {}) {
  const tokens = [...(opts.tokens ?? [view('tok-1'), view('tok-2')])];
  const calls = { token: 0, endpoint: 0 };
  const api: SoftphoneApi = {
    endpoint: async () => {
      calls.endpoint++;
      return opts.endpoint ?? { kind: 'client', address: null, source: 'default' };
    },
    token: async () => {
      calls.token++;
      const next = tokens.shift();
      if (!next) throw new Error('no more tokens');
      if (next instanceof ApiError) throw next;
      return next;
    },
  };
  const devices: FakeDevice[] = [];
  let logout: (() => void) | null = null;
  let autoAnswer = opts.autoAnswer ?? true;
  const controller = new SoftphoneController({
    api,
    createDevice: async (token) => {
      const device = new FakeDevice(token, opts.registerError ?? null);
      devices.push(device);
      return device;
    },
    autoAnswer: () => autoAnswer,
    folioHint: () => (opts.folio === undefined ? 'CDMX-000123' : opts.folio),
    subscribeLogout: (fn) => {
      logout = fn;
      return () => {
        logout = null;
      };
    },
  });
  const seen: SoftphoneState['kind'][] = [];
  controller.subscribe((s) => seen.push(s.kind));
  return { controller, devices, calls, seen, logout: () => logout?.(), setAutoAnswer: (v: boolean) => (autoAnswer = v) };
}

function view(token: string): SoftphoneTokenView {
  return { token, identity: 'agent-u1', channelId: '8d0c5a8e-3f5b-4c1e-9f57-3c0b8d1e2f00', expiresAt: '2026-11-26T16:00:00.000Z' };
}

const conflict = new ApiError(409, 'HUB_ERR_CONFLICT', 'El canal de voz no tiene configurado el teléfono web (falta apiKeySid) / the voice channel is not set up for the softphone (missing apiKeySid)');

describe('SoftphoneController', () => {
  it('fetches the token from the hub and registers a device with it', async () => {
    const { controller, devices, calls, seen } = setup();
    await controller.start();
    expect(calls.token).toBe(1);
    expect(devices).toHaveLength(1);
    expect(devices[0]?.token).toBe('tok-1');
    expect(devices[0]?.registered).toBe(1);
    expect(controller.state).toEqual({ kind: 'ready' });
    expect(seen).toEqual(['loading', 'registering', 'registering', 'ready']);
    expect(softphoneStatusText('es-MX', controller.state)).toBe('Teléfono web listo para recibir llamadas');
  });

  it('answers an incoming call automatically and shows the folio; mute and local hang-up work', async () => {
    const { controller, devices } = setup();
    await controller.start();
    const call = new FakeCall({ From: '+525500000000', CallSid: 'CA1' });
    devices[0]?.handlers?.incoming(call);
    expect(call.accepted).toBe(1);
    expect(controller.state).toEqual({ kind: 'on_call', from: '+525500000000', folio: 'CDMX-000123', muted: false });
    expect(softphoneStatusText('es-MX', controller.state)).toBe('En llamada · folio CDMX-000123');
    controller.toggleMute();
    expect(call.muted).toBe(true);
    expect(controller.state).toMatchObject({ kind: 'on_call', muted: true });
    controller.toggleMute();
    expect(call.muted).toBe(false);
    controller.hangUp();
    expect(call.disconnected).toBe(1);
    expect(controller.state).toEqual({ kind: 'ready' });
  });

  it('prefers the folio the call carries and waits for the agent when auto-answer is off', async () => {
    const { controller, devices } = setup({ autoAnswer: false, folio: null });
    await controller.start();
    const call = new FakeCall({ From: '+525500000000' }, new Map([['folio', 'JAL-000777']]));
    devices[0]?.handlers?.incoming(call);
    expect(call.accepted).toBe(0);
    expect(controller.state).toEqual({ kind: 'incoming', from: '+525500000000', folio: 'JAL-000777' });
    expect(softphoneStatusText('es-MX', controller.state)).toBe('Llamada entrante · folio JAL-000777');
    controller.answer();
    expect(call.accepted).toBe(1);
    expect(controller.state).toMatchObject({ kind: 'on_call', folio: 'JAL-000777' });
  });

  it('rejects a second call while on a call', async () => {
    const { controller, devices } = setup();
    await controller.start();
    const first = new FakeCall({ From: '+525500000001' });
    const second = new FakeCall({ From: '+525500000002' });
    devices[0]?.handlers?.incoming(first);
    devices[0]?.handlers?.incoming(second);
    expect(second.rejected).toBe(1);
    expect(second.accepted).toBe(0);
    expect(controller.state).toMatchObject({ kind: 'on_call', from: '+525500000001' });
  });

  it('refreshes the token before it expires (tokenWillExpire → updateToken)', async () => {
    const { controller, devices, calls } = setup();
    await controller.start();
    devices[0]?.handlers?.tokenWillExpire();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls.token).toBe(2);
    expect(devices[0]?.tokens).toEqual(['tok-2']);
    expect(controller.state).toEqual({ kind: 'ready' });
  });

  it('shows the hub\'s reason when it refuses the token, and when a refresh is refused', async () => {
    const refused = new ApiError(403, 'HUB_ERR_FORBIDDEN', 'No tiene permiso en esta campaña / not allowed in this campaign');
    const first = setup({ tokens: [refused] });
    await first.controller.start();
    expect(first.controller.state).toMatchObject({ kind: 'error', reason: 'token' });
    expect(softphoneStatusText('es-MX', first.controller.state)).toBe('El hub rechazó el acceso del teléfono web: No tiene permiso en esta campaña');
    const later = setup({ tokens: [view('tok-1'), refused] });
    await later.controller.start();
    later.devices[0]?.handlers?.tokenWillExpire();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(later.devices[0]?.tokens).toEqual([]);
    expect(later.controller.state).toMatchObject({ kind: 'error', reason: 'token' });
  });

  it('shows "not configured" with the hub message on 409 and creates no device', async () => {
    const { controller, devices } = setup({ tokens: [conflict] });
    await controller.start();
    expect(devices).toHaveLength(0);
    expect(controller.state).toEqual({ kind: 'not_configured', message: conflict.message });
    expect(softphoneStatusText('es-MX', controller.state)).toBe('Teléfono web no configurado: El canal de voz no tiene configurado el teléfono web (falta apiKeySid)');
    expect(softphoneStatusText('en', controller.state)).toBe('Softphone not configured: the voice channel is not set up for the softphone (missing apiKeySid)');
  });

  it('stays quiet without a voice channel (404) and when calls go to the agent’s phone', async () => {
    const none = setup({ tokens: [new ApiError(404, 'HUB_ERR_CHANNEL_NOT_FOUND', 'Sus campañas no tienen un canal de voz / your campaigns have no voice channel')] });
    await none.controller.start();
    expect(none.controller.state).toEqual({ kind: 'idle' });
    expect(softphoneStatusText('es-MX', none.controller.state)).toBe('');
    const phone = setup({ endpoint: { kind: 'phone', address: '+525511112222', source: 'agent' } });
    await phone.controller.start();
    expect(phone.calls.token).toBe(0);
    expect(phone.devices).toHaveLength(0);
    expect(softphoneStatusText('es-MX', phone.controller.state)).toBe('Las llamadas se envían a su teléfono (+525511112222)');
  });

  it('explains a denied microphone in Spanish', async () => {
    const { controller } = setup({ registerError: { code: 31401, name: 'PermissionDeniedError', message: 'Permission denied' } });
    await controller.start();
    expect(controller.state).toMatchObject({ kind: 'error', reason: 'microphone' });
    expect(softphoneStatusText('es-MX', controller.state)).toBe(softphoneText('es-MX', 'errorMicrophone'));
    expect(softphoneStatusText('es-MX', controller.state)).toContain('Permita el micrófono');
  });

  it('maps a browser NotAllowedError during a call to the microphone message', async () => {
    const { controller, devices } = setup();
    await controller.start();
    const call = new FakeCall({ From: '+525500000000' });
    devices[0]?.handlers?.incoming(call);
    call.handlers?.error({ name: 'NotAllowedError', message: 'Permission denied by user' });
    expect(controller.state).toMatchObject({ kind: 'error', reason: 'microphone' });
  });

  it('reports a network failure reaching the hub, and recovers when the device re-registers', async () => {
    const { controller, devices } = setup();
    await controller.start();
    devices[0]?.handlers?.error({ code: 31005, message: 'Connection error' });
    expect(controller.state).toMatchObject({ kind: 'error', reason: 'network' });
    expect(softphoneStatusText('es-MX', controller.state)).toBe(softphoneText('es-MX', 'errorNetwork'));
    devices[0]?.handlers?.registered();
    expect(controller.state).toEqual({ kind: 'ready' });
    const down = new SoftphoneController({
      api: { endpoint: () => Promise.reject(new TypeError('Failed to fetch')), token: () => Promise.reject(new Error('unused')) },
      createDevice: () => Promise.reject(new Error('unused')),
      autoAnswer: () => true,
      folioHint: () => null,
    });
    await down.start();
    expect(down.state).toMatchObject({ kind: 'error', reason: 'network' });
  });

  it('destroys the device on logout and ignores a start that finishes after it', async () => {
    const { controller, devices, logout } = setup();
    await controller.start();
    const call = new FakeCall({ From: '+525500000000' });
    devices[0]?.handlers?.incoming(call);
    logout();
    expect(devices[0]?.destroyed).toBe(1);
    expect(controller.state).toEqual({ kind: 'idle' });

    const late = setup();
    const pending = late.controller.start();
    late.logout();
    await pending;
    expect(late.devices.every((d) => d.destroyed === 1)).toBe(true);
    expect(late.controller.state).toEqual({ kind: 'idle' });
  });
});
