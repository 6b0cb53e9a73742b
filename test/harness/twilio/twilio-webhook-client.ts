import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

export interface InboundSms {
  from: string;
  to: string;
  body?: string;
  /** Defaults to a fresh `SM…` (or `MM…` with media) sid. */
  sid?: string;
  media?: Array<{ url: string; contentType: string }>;
}

export interface StatusCallback {
  sid: string;
  status: string;
  to: string;
  from: string;
  errorCode?: string;
}

export function twilioSid(prefix: 'SM' | 'MM' | 'ME'): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/**
 * Twilio's side of the webhooks: form-encoded POSTs signed exactly as Twilio signs them
 * (X-Twilio-Signature = base64 HMAC-SHA1 of the full URL followed by every POST parameter name
 * and value sorted by name, with the account's auth token), built with the SDK's own
 * `getExpectedTwilioSignature`. Parameters are those of Twilio's "request to your incoming
 * message webhook" and "status callback" pages.
 */
export class TwilioWebhookClient {
  constructor(
    readonly accountSid: string,
    private readonly authToken: string,
  ) {}

  sign(url: string, params: Record<string, string>): string {
    return twilio.getExpectedTwilioSignature(this.authToken, url, params);
  }

  async post(url: string, params: Record<string, string>, signature = this.sign(url, params)): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': randomBytes(8).toString('hex') },
      body: new URLSearchParams(params).toString(),
    });
  }

  inboundParams(sms: InboundSms): Record<string, string> {
    const media = sms.media ?? [];
    const sid = sms.sid ?? twilioSid(media.length > 0 ? 'MM' : 'SM');
    const params: Record<string, string> = {
      ToCountry: 'MX',
      ToState: '',
      SmsMessageSid: sid,
      NumMedia: String(media.length),
      ToCity: '',
      FromZip: '',
      SmsSid: sid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: sms.body ?? '',
      FromCountry: 'MX',
      To: sms.to,
      ToZip: '',
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: this.accountSid,
      From: sms.from,
      ApiVersion: '2010-04-01',
    };
    media.forEach((m, i) => {
      params[`MediaUrl${i}`] = m.url;
      params[`MediaContentType${i}`] = m.contentType;
    });
    return params;
  }

  async inbound(url: string, sms: InboundSms): Promise<{ response: Response; sid: string; params: Record<string, string> }> {
    const params = this.inboundParams(sms);
    return { response: await this.post(url, params), sid: params['MessageSid'] ?? '', params };
  }

  statusParams(cb: StatusCallback): Record<string, string> {
    return {
      ...(cb.errorCode ? { ErrorCode: cb.errorCode } : {}),
      SmsSid: cb.sid,
      SmsStatus: cb.status,
      MessageStatus: cb.status,
      To: cb.to,
      MessageSid: cb.sid,
      AccountSid: this.accountSid,
      From: cb.from,
      ApiVersion: '2010-04-01',
    };
  }

  async status(url: string, cb: StatusCallback): Promise<Response> {
    return this.post(url, this.statusParams(cb));
  }
}
