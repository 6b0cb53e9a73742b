import type {
  CaptchaChallenge,
  LeaveMessageRequest,
  PrechatRequest,
  SendTextRequest,
  SurveyAnswers,
  WidgetConfig,
  WidgetSessionCreated,
  WidgetSessionState,
  WidgetSurvey,
} from '@ventanilla/hub/widget-contract';
import { apiErrorFrom } from '../api/api-error.js';

export { ApiError } from '../api/api-error.js';

/**
 * The widget's REST calls (widget.contract.ts), from the host page's origin to the hub's: no
 * cookies (credentials: 'omit'); the browser adds the page's Origin, which the hub checks against
 * the channel and the token. Responses are typed by the shared contract and trusted as the
 * inbox's HubApi trusts them — the same codebase on the other end, and no schema library in a
 * bundle every visitor downloads.
 */
export class WidgetApi {
  token: string | null = null;

  constructor(
    readonly baseUrl: string,
    readonly channelId: string,
  ) {}

  private async request(method: string, path: string, init: { json?: unknown; body?: BodyInit } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, credentials: 'omit', mode: 'cors', cache: 'no-store' });
    if (!response.ok) throw await apiErrorFrom(response);
    return response;
  }

  private async json<T>(method: string, path: string, json?: unknown): Promise<T> {
    const response = await this.request(method, path, json === undefined ? {} : { json });
    return (await response.json()) as T;
  }

  private channelPath(rest: string): string {
    return `/widget/v1/channels/${encodeURIComponent(this.channelId)}${rest}`;
  }

  config(): Promise<WidgetConfig> {
    return this.json('GET', this.channelPath('/config'));
  }
  captcha(): Promise<CaptchaChallenge> {
    return this.json('POST', this.channelPath('/captcha'), {});
  }
  createSession(request: PrechatRequest): Promise<WidgetSessionCreated> {
    return this.json('POST', this.channelPath('/sessions'), request);
  }
  leaveMessage(request: LeaveMessageRequest): Promise<{ accepted: true }> {
    return this.json('POST', this.channelPath('/leave-message'), request);
  }
  session(): Promise<WidgetSessionState> {
    return this.json('GET', '/widget/v1/session');
  }
  sendText(request: SendTextRequest): Promise<{ accepted: true }> {
    return this.json('POST', '/widget/v1/messages', request);
  }
  async uploadFile(file: File, clientMessageId: string): Promise<void> {
    const form = new FormData();
    // The field first: the hub reads the multipart stream in order and needs the id with the file.
    form.append('clientMessageId', clientMessageId);
    form.append('file', file, file.name);
    await this.request('POST', '/widget/v1/files', { body: form });
  }
  end(): Promise<{ ended: true }> {
    return this.json('POST', '/widget/v1/end', {});
  }
  emailTranscript(email: string | undefined): Promise<{ queued: true }> {
    return this.json('POST', '/widget/v1/transcript/email', email ? { email } : {});
  }
  survey(): Promise<WidgetSurvey> {
    return this.json('GET', '/widget/v1/survey');
  }
  submitSurvey(answers: SurveyAnswers): Promise<{ recorded: true }> {
    return this.json('POST', '/widget/v1/survey', answers);
  }

  /**
   * A download (an attachment, the transcript) with the visitor's bearer token: a plain link
   * cannot carry it. Only URLs on the hub get the token; anything else is refused.
   */
  async download(url: string): Promise<{ blob: Blob; filename: string | null }> {
    const absolute = new URL(url, `${this.baseUrl}/`);
    if (!absolute.href.startsWith(`${this.baseUrl}/`)) throw new Error(`not a hub URL: ${absolute.href}`);
    const response = await this.request('GET', absolute.href.slice(this.baseUrl.length));
    return { blob: await response.blob(), filename: filenameFrom(response.headers.get('content-disposition')) };
  }
}

/** `attachment; filename*=UTF-8''conversaci%C3%B3n.txt` or `filename="x.txt"` → the name. */
export function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // Malformed escapes: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() ?? null;
}
