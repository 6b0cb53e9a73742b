/**
 * Runs a transaction again when PostgreSQL aborted it to break a deadlock (40P01) or a
 * serialization conflict (40001). Use cases that lock rows in an order another use case cannot
 * share (a transfer locks the conversation, then two seats) wrap their transaction in this; the
 * aborted attempt changed nothing, so running it again is safe.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
