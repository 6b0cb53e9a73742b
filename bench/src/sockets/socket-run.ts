import type { Config } from '@ventanilla/hub';
import type { StoppableChild } from '../bench-main.js';
import type { BenchLog } from '../router-db/run-env.js';
import type { FdLimit } from './fd-limit.js';
import { IpcChild, type Api } from './ipc.js';
import type { FleetApi } from './protocol.js';

/** What a socket benchmark's run (run-sockets.ts, widget/run-widget.ts) gets from its main. */
export interface SocketRunInput {
  /** The hub's environment (schema, Redis prefix, secret: router-db/run-env.ts runEnvironment). */
  env: Record<string, string>;
  config: Config;
  log: BenchLog;
  /** Stopped by the caller's cleanup if the run fails half-way. */
  children: StoppableChild[];
  fdLimit: FdLimit;
}

/** Starts `count` client fleet children (clients-1, clients-2, …), each in `children` as soon as it runs. */
export async function startFleets<A extends Api>(count: number, entry: string, logFile: string, children: StoppableChild[]): Promise<IpcChild<A>[]> {
  const fleets: IpcChild<A>[] = [];
  for (let f = 0; f < count; f++) {
    const fleet = await IpcChild.start<A>({ name: `clients-${f + 1}`, entry, env: { LOG_LEVEL: 'warn' }, logFile });
    children.push(fleet);
    fleets.push(fleet);
  }
  return fleets;
}

/** Closes every fleet's sockets; a fleet that does not answer is left to the server's stop. */
export async function closeFleets(fleets: IpcChild<FleetApi<unknown>>[]): Promise<void> {
  await Promise.all(fleets.map((f) => f.call('close', undefined, 60_000).catch(() => undefined)));
}
