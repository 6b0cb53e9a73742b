/**
 * The hub's self-hosted CAPTCHA (widget.contract.ts CaptchaChallenge): find a decimal `nonce` with
 * sha256(`${challenge}:${nonce}`) starting with `difficulty` zero bits. Web Crypto hashes off the
 * main thread; we await it in small batches and yield between them, so typing in the pre-chat
 * form never stutters while the browser works.
 */
export function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export interface SolveOptions {
  signal?: AbortSignal;
  /** Hashes in flight at once (one await); bigger is faster, smaller yields more often. */
  batchSize?: number;
  subtle?: SubtleCrypto;
}

/** A macrotask turn without setTimeout's clamping (and its 1 s throttling in background tabs). */
function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export async function solveProofOfWork(challenge: string, difficulty: number, options: SolveOptions = {}): Promise<string> {
  const subtle = options.subtle ?? globalThis.crypto?.subtle;
  // Web Crypto exists only in secure contexts (https or localhost): the hub must be embedded from one.
  if (!subtle) throw new Error('Web Crypto is not available (the page is not served over https)');
  const batch = options.batchSize ?? 256;
  const encoder = new TextEncoder();
  for (let start = 0; ; start += batch) {
    options.signal?.throwIfAborted();
    const nonces = Array.from({ length: batch }, (_, i) => String(start + i));
    const digests = await Promise.all(nonces.map((nonce) => subtle.digest('SHA-256', encoder.encode(`${challenge}:${nonce}`))));
    const found = digests.findIndex((digest) => leadingZeroBits(new Uint8Array(digest)) >= difficulty);
    const nonce = nonces[found];
    if (nonce !== undefined) return nonce;
    await yieldToBrowser();
  }
}
