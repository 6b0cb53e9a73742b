import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../hub/src/main.ts', import.meta.url));

export interface ChildHub {
  process: ChildProcess;
  url: string | null;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `hub/src/main.ts` as a real OS process and waits for its "hub started" log line (a cold tsx start of three processes on a loaded CI machine took over 30 s). */
export async function startChildHub(env: Record<string, string>, timeoutMs = 75_000): Promise<ChildHub> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child hub did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      for (const line of out.split('\n')) {
        if (!line.includes('"hub started"')) continue;
        clearTimeout(timer);
        const parsed = JSON.parse(line) as { url?: string | null };
        resolve(parsed.url ?? null);
        return;
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child hub exited with ${code}:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    process: child,
    url,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Runs main.ts to completion (for start-up failures) and returns its exit code and output. */
export function runChildHubToExit(env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
