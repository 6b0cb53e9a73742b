import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ENTRY = fileURLToPath(new URL('./smtp-sink-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const ready = z.object({ type: z.literal('ready'), port: z.number().int() });
const count = z.object({ type: z.literal('count'), messages: z.number().int(), bytes: z.number(), connections: z.number().int() });
export type SinkCount = z.infer<typeof count>;

/** The benchmark's SMTP server, in a child process (smtp-sink-process.ts). */
export class SmtpSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    const child = fork(ENTRY, [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('smtp sink not ready after 20 s')), 20_000);
      child.on('message', (message: unknown) => {
        const parsed = ready.safeParse(message);
        if (parsed.success) {
          clearTimeout(timer);
          resolve(parsed.data.port);
        }
      });
      child.once('exit', (code) => reject(new Error(`smtp sink exited with ${code}`)));
    });
    return new SmtpSink(child, port);
  }

  count(): Promise<SinkCount> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('smtp sink: no count')), 5000);
      const onMessage = (message: unknown) => {
        const parsed = count.safeParse(message);
        if (!parsed.success) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(parsed.data);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'count' });
    });
  }

  /** Waits until the sink has accepted `n` messages in all (polling its counter). */
  async waitFor(n: number, timeoutMs: number): Promise<SinkCount> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.count();
      if (c.messages >= n) return c;
      if (Date.now() > deadline) throw new Error(`smtp sink: ${c.messages} of ${n} messages after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
