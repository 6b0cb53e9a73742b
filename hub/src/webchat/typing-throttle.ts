/**
 * Typing signals are ephemeral and chatty (one per keystroke from some clients): pass a change of
 * state at once, repeat the same state at most every `repeatMs` (a long "typing…" stays alive on
 * the other side), and drop anything beyond `maxPerSecond` from a client that toggles in a loop.
 */
export class TypingThrottle {
  private last: { typing: boolean; at: number } | null = null;
  private windowStart = 0;
  private inWindow = 0;

  constructor(
    private readonly repeatMs = 3000,
    private readonly maxPerSecond = 4,
  ) {}

  shouldSend(typing: boolean, now = Date.now()): boolean {
    if (this.last && this.last.typing === typing && now - this.last.at < this.repeatMs) return false;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.maxPerSecond) return false;
    this.inWindow += 1;
    this.last = { typing, at: now };
    return true;
  }
}
