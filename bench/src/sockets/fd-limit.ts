import { execFileSync } from 'node:child_process';

/** The open-file limit (`ulimit -n`, `ulimit -Hn`): every socket is a descriptor in the server and in a client. */
export interface FdLimit {
  soft: number;
  hard: number;
}

export function fdLimit(): FdLimit {
  try {
    const [soft, hard] = execFileSync('/bin/sh', ['-c', 'ulimit -n; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n');
    const n = (v: string | undefined) => (v === 'unlimited' ? Infinity : Number(v));
    return { soft: n(soft), hard: n(hard) };
  } catch {
    return { soft: NaN, hard: NaN };
  }
}

/**
 * Throws when the hard limit cannot hold `sockets` in one server process, or a client process its
 * share, with 1,000 descriptors to spare (children raise their soft limit up to the hard one).
 */
export function requireFdRoom(limits: FdLimit, sockets: number, clientProcesses: number): void {
  const perProcess = Math.ceil(sockets / clientProcesses);
  if (sockets + 1_000 > limits.hard || perProcess + 1_000 > limits.hard) throw new Error(`ulimit -Hn ${limits.hard} is too low for ${sockets} sockets in one server process`);
}
