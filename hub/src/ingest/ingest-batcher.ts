/**
 * Groups concurrent inbound jobs into batches for one database call each ("natural"
 * batching: an idle batcher sends a job at once; while calls are in flight, arrivals
 * accumulate). Every job stays active — and owned by BullMQ — until its own result is known,
 * so a crash loses nothing. A failed batch is retried one job at a time, so one bad message
 * fails alone.
 */
export class IngestBatcher<I, R> {
  private pending: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatch);
      this.inFlight += 1;
      void this.execute(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async execute(batch: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[]): Promise<void> {
    try {
      const results = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(results[i] as R));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      await Promise.all(
        batch.map(async (b) => {
          try {
            const [result] = await this.run([b.item]);
            b.resolve(result as R);
          } catch (single) {
            b.reject(single);
          }
        }),
      );
    }
  }
}
