import type { CaptchaChallenge, CaptchaSolution, WidgetConfig } from '@ventanilla/hub/widget-contract';
import { solveProofOfWork } from './pow-solver.js';
import type { Translate } from './widget-i18n.js';

export type CaptchaStatus = 'off' | 'working' | 'ready' | 'failed';

/** Validity a solution must still have when it is sent (clock skew, slow networks). */
const MARGIN_MS = 10_000;

/**
 * Solves the hub's proof of work in the background while the visitor fills in a form, so by the
 * time they press "send" it is usually done. A challenge is single-use and expires: `take()`
 * hands the solution out once and starts the next one, and fetches a fresh one if it expired.
 */
export class CaptchaRunner {
  private current: Promise<CaptchaSolution & { expiresAt: number }> | null = null;
  private readonly controller = new AbortController();

  constructor(
    private readonly captcha: WidgetConfig['captcha'],
    private readonly fetchChallenge: () => Promise<CaptchaChallenge>,
    private readonly onStatus: (status: CaptchaStatus) => void,
  ) {}

  start(): void {
    if (this.captcha.kind === 'none') {
      this.onStatus('off');
      return;
    }
    this.current = this.solveNext();
    // A failure is reported through onStatus; take() retries.
    this.current.catch(() => undefined);
  }

  private async solveNext(): Promise<CaptchaSolution & { expiresAt: number }> {
    this.onStatus('working');
    try {
      const challenge = await this.fetchChallenge();
      const nonce = await solveProofOfWork(challenge.challenge, challenge.difficulty, { signal: this.controller.signal });
      this.onStatus('ready');
      return { challenge: challenge.challenge, nonce, expiresAt: Date.parse(challenge.expiresAt) };
    } catch (error) {
      if (!this.controller.signal.aborted) this.onStatus('failed');
      throw error;
    }
  }

  /** The solution to send now (waiting for it if needed); undefined when the channel has no CAPTCHA. */
  async take(): Promise<CaptchaSolution | undefined> {
    if (this.captcha.kind === 'none') return undefined;
    let solution = await (this.current ?? this.solveNext()).catch(() => null);
    if (!solution || (Number.isFinite(solution.expiresAt) && solution.expiresAt - Date.now() < MARGIN_MS)) solution = await this.solveNext();
    this.current = null;
    return { challenge: solution.challenge, nonce: solution.nonce };
  }

  stop(): void {
    this.controller.abort();
  }
}

/** The line under the form while the browser works on the challenge ("Verificando…"). */
export function captchaStatusText(status: CaptchaStatus, t: Translate): string {
  return status === 'working' ? t('captcha.working') : status === 'ready' ? t('captcha.ready') : status === 'failed' ? t('captcha.failed') : '';
}
