import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/**
 * The SDK's documented extension point for transport is a custom `httpClient` in the client
 * options (`twilio(sid, token, { httpClient })`): the SDK builds the request (URL under
 * https://api.twilio.com, form fields, basic auth) and hands it to it. This one is the SDK's own
 * RequestClient with the origin swapped for the channel's `apiBaseUrl` (the test harness, a
 * proxy). The `edge`/`region` options only rename twilio.com hosts, so they cannot reach a
 * harness. Retries are ours (the outbound queue's backoff), so the SDK's auto-retry stays off.
 */
export class TwilioBaseUrlClient extends twilio.RequestClient {
  constructor(
    private readonly apiBaseUrl: string | undefined,
    timeoutMs: number,
  ) {
    super({ autoRetry: false, timeout: timeoutMs });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: this.apiBaseUrl ? rebase(opts.uri, this.apiBaseUrl) : opts.uri });
  }
}

function rebase(uri: string, baseUrl: string): string {
  const target = new URL(uri);
  const base = new URL(baseUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${target.pathname}${target.search}`;
}
