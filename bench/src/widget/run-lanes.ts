/**
 * Runs `count` numbered tasks, `concurrency` at a time (1 = one after the other), each lane taking
 * the next number as soon as its previous task ended: a closed loop, so latency is never inflated
 * by a backlog of our own making.
 */
export async function runLanes(count: number, concurrency: number, task: (index: number, lane: number) => Promise<void>): Promise<void> {
  let next = 0;
  const run = async (lane: number): Promise<void> => {
    for (let index = next++; index < count; index = next++) await task(index, lane);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, (_, lane) => run(lane)));
}
