/** Small pieces of the voice webhooks that need no Fastify: call statuses, TwiML splicing, locking. */

/** Twilio's final call statuses: after one of these no other webhook of the call means anything. */
export const FINAL_CALL_STATUSES: ReadonlySet<string> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** Runs work for the same key one after another (work for other keys runs freely). */
export class KeyedSerializer {
  private readonly chains = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    // Forget a key once its last work is done, so the map does not grow with every call.
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }

  get size(): number {
    return this.chains.size;
  }
}

export function optionalInt<K extends string>(key: K, raw: string | undefined): Partial<Record<K, number>> {
  if (raw === undefined || !/^\d+$/.test(raw)) return {};
  const result: Partial<Record<K, number>> = {};
  result[key] = Number(raw);
  return result;
}

/** Puts the verbs of `extra` (a whole TwiML document) at the end of `twiml`'s <Response>. */
export function appendVerbs(twiml: string, extra: string): string {
  const inner = /<Response>([\s\S]*)<\/Response>/.exec(extra)?.[1] ?? '';
  if (inner === '') return twiml;
  if (/<Response\s*\/>/.test(twiml)) return twiml.replace(/<Response\s*\/>/, `<Response>${inner}</Response>`);
  const close = twiml.lastIndexOf('</Response>');
  if (close === -1) throw new Error('TwiML without a <Response> element');
  return `${twiml.slice(0, close)}${inner}${twiml.slice(close)}`;
}
