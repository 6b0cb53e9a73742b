import { performance } from 'node:perf_hooks';
import type { ChannelLoad } from './load-profile.js';
import { between, emailCitizen, smsCitizen, sleep, voiceCall, webchatCitizen, whatsappCitizen, type CitizenContext } from './citizens.js';

/**
 * Drives the mixed profile until `deadline` (performance.now()): the chat channels as closed
 * loops (so many citizens conversing at once, each replaced by a new one when done), SMS, e-mail
 * and voice as open loops at their rates (each arrival on its own, whatever the earlier ones are
 * doing). Resolves when every started citizen has finished or given up.
 */
export async function driveLoad(ctx: CitizenContext, load: ChannelLoad, deadline: number): Promise<{ citizens: number }> {
  let next = 0;
  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    const guarded = p.catch((error: unknown) => ctx.metrics.error(`citizen: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`));
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  };
  const closedLoop = async (citizens: number, run: (index: number) => Promise<void>, spreadMs: number) => {
    const lane = async (laneIndex: number) => {
      // Citizens arrive over the first seconds, not in one burst.
      await sleep((spreadMs * laneIndex) / Math.max(1, citizens));
      while (performance.now() < deadline) {
        const index = next++;
        await run(index).catch((error: unknown) => ctx.metrics.error(`citizen: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`));
        // A short pause before the lane's next citizen, so a failing path does not spin.
        await sleep(between([200, 1000]));
      }
    };
    await Promise.all(Array.from({ length: citizens }, (_, i) => lane(i)));
  };
  const openLoop = async (perSecond: number, run: (index: number) => Promise<void>) => {
    if (perSecond <= 0) return;
    const intervalMs = 1000 / perSecond;
    const started = performance.now();
    for (let i = 0; ; i++) {
      const due = started + i * intervalMs;
      if (due >= deadline) return;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      track(run(next++));
    }
  };
  const spread = Math.min(15_000, Math.max(1000, deadline - performance.now()) / 4);
  await Promise.all([
    closedLoop(load.webchatCitizens, (i) => webchatCitizen(ctx, i), spread),
    closedLoop(load.whatsappCitizens, (i) => whatsappCitizen(ctx, i), spread),
    openLoop(load.smsConversationsPerSecond, (i) => smsCitizen(ctx, i, load.smsMessagesPerConversation)),
    openLoop(load.emailsPerSecond, (i) => emailCitizen(ctx, i)),
    openLoop(load.callsPerSecond, (i) => voiceCall(ctx, i)),
  ]);
  while (pending.size > 0) await Promise.all(pending);
  return { citizens: next };
}
