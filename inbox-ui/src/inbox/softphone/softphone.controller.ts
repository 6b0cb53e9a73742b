import { ApiError } from '../../api/api-error.js';
import type { SoftphoneApi } from './softphone-api.js';
import type { SoftphoneCall, SoftphoneDevice, SoftphoneDeviceFactory } from './softphone-device.js';
import { classifySoftphoneError, errorMessageOf, type SoftphoneFailure } from './softphone-errors.js';

export type SoftphoneState =
  /** Not started, disposed, or the agent's campaigns have no voice channel: nothing to show. */
  | { kind: 'idle' }
  | { kind: 'loading' }
  /** The agent takes calls on a phone / SIP address: the hub never dials the browser. */
  | { kind: 'elsewhere'; address: string }
  /** The hub's 409: the channel lacks the API key / TwiML App. `message` is the hub's "es / en". */
  | { kind: 'not_configured'; message: string }
  | { kind: 'registering' }
  | { kind: 'ready' }
  | { kind: 'incoming'; from: string; folio: string | null }
  | { kind: 'on_call'; from: string; folio: string | null; muted: boolean }
  | { kind: 'error'; reason: SoftphoneFailure; message: string };

export interface SoftphoneOptions {
  api: SoftphoneApi;
  createDevice: SoftphoneDeviceFactory;
  /** Read on every incoming call (the agent can switch it while registered). */
  autoAnswer: () => boolean;
  /** The folio of the agent's current voice conversation, when the call carries none. */
  folioHint: () => string | null;
  /** Called with a callback to run when the session ends; returns the unsubscribe. */
  subscribeLogout?: (onLogout: () => void) => () => void;
}

/**
 * The browser softphone (issue 8 item 4): registers a Twilio Device with the hub's access token
 * so the connector's `client:agent-<userId>` leg rings here. The hub only dials an agent who has
 * accepted the voice offer, so incoming calls are answered automatically unless the agent turned
 * that off. One call at a time: a voice conversation takes the agent's whole seat.
 */
export class SoftphoneController {
  private current: SoftphoneState = { kind: 'idle' };
  private device: SoftphoneDevice | null = null;
  private call: SoftphoneCall | null = null;
  /** Bumped by dispose(): work started before it must not resurrect a device. */
  private generation = 0;
  private readonly listeners = new Set<(state: SoftphoneState) => void>();
  private unsubscribeLogout: (() => void) | null = null;

  constructor(private readonly options: SoftphoneOptions) {}

  get state(): SoftphoneState {
    return this.current;
  }

  subscribe(listener: (state: SoftphoneState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const generation = ++this.generation;
    this.destroyDevice();
    this.unsubscribeLogout ??= this.options.subscribeLogout?.(() => this.dispose()) ?? null;
    this.set({ kind: 'loading' });
    try {
      const endpoint = await this.options.api.endpoint();
      if (generation !== this.generation) return;
      if (endpoint.kind !== 'client' && endpoint.address) {
        this.set({ kind: 'elsewhere', address: endpoint.address });
        return;
      }
      const { token } = await this.options.api.token();
      if (generation !== this.generation) return;
      const device = await this.options.createDevice(token);
      if (generation !== this.generation) {
        device.destroy();
        return;
      }
      this.device = device;
      device.listen({
        registering: () => this.set({ kind: 'registering' }),
        registered: () => {
          if (!this.call) this.set({ kind: 'ready' });
        },
        unregistered: () => {
          if (this.current.kind === 'ready') this.set({ kind: 'registering' });
        },
        tokenWillExpire: () => void this.refresh(generation),
        incoming: (call) => this.incoming(call),
        error: (error) => this.fail(error),
      });
      this.set({ kind: 'registering' });
      await device.register();
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof ApiError && error.status === 409) this.set({ kind: 'not_configured', message: error.message });
      else if (error instanceof ApiError && error.status === 404) this.set({ kind: 'idle' });
      else this.fail(error);
    }
  }

  answer(): void {
    if (this.call && this.current.kind === 'incoming') this.call.accept();
  }

  reject(): void {
    if (this.call && this.current.kind === 'incoming') this.call.reject();
  }

  toggleMute(): void {
    if (this.call && this.current.kind === 'on_call') this.call.mute(!this.current.muted);
  }

  /** Leaves the call from this browser; the hub's conference keeps the citizen (endConferenceOnExit=false). */
  hangUp(): void {
    this.call?.disconnect();
  }

  /** On logout / unmount: unregister and forget the device; a call in progress is dropped. */
  dispose(): void {
    this.generation++;
    this.destroyDevice();
    this.unsubscribeLogout?.();
    this.unsubscribeLogout = null;
    this.set({ kind: 'idle' });
  }

  private async refresh(generation: number): Promise<void> {
    try {
      const { token } = await this.options.api.token();
      if (generation === this.generation) this.device?.updateToken(token);
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  private incoming(call: SoftphoneCall): void {
    if (this.call) {
      // Busy: the router never offers a second call to a seat on a call; refuse rather than juggle.
      call.reject();
      return;
    }
    this.call = call;
    const from = call.parameters['From'] ?? '';
    const folio = call.customParameters.get('folio') ?? this.options.folioHint();
    call.listen({
      accept: () => this.set({ kind: 'on_call', from, folio, muted: false }),
      ended: () => {
        if (this.call !== call) return;
        this.call = null;
        this.set(this.device ? { kind: 'ready' } : { kind: 'idle' });
      },
      mute: (muted) => {
        if (this.current.kind === 'on_call') this.set({ ...this.current, muted });
      },
      error: (error) => {
        this.call = null;
        this.fail(error);
      },
    });
    this.set({ kind: 'incoming', from, folio });
    if (this.options.autoAnswer()) call.accept();
  }

  private fail(error: unknown): void {
    const reason = classifySoftphoneError(error);
    // A network blip during a call does not end it (the SDK reconnects): keep showing the call.
    if (reason === 'network' && this.call) return;
    this.set({ kind: 'error', reason, message: errorMessageOf(error) });
  }

  private destroyDevice(): void {
    this.call = null;
    this.device?.destroy();
    this.device = null;
  }

  private set(state: SoftphoneState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
