import { z } from 'zod';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'número E.164, p. ej. +525512345678 / E.164 number, e.g. +525512345678');

/**
 * Settings of a Twilio SMS channel (non-secret; the auth token is stored apart). Either a sender
 * number or a Messaging Service sends; with both, Twilio takes the service (and its pool).
 */
export const smsChannelSettingsSchema = z
  .object({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'Account SID de Twilio (AC… 34 caracteres) / Twilio Account SID (AC…, 34 chars)'),
    from: e164.optional(),
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'Messaging Service SID (MG…) / Messaging Service SID (MG…)').optional(),
    /**
     * The public URL Twilio calls for this channel, as typed in Twilio's console:
     * `https://ventanilla.example.gob.mx/webhooks/sms/<channelId>`. Twilio signs that exact URL,
     * and behind a TLS-terminating proxy the hub itself only sees `http://10.0.0.5:3000/…`, so
     * the signature check takes scheme, host and port from here (path and query from the
     * request). Without it: X-Forwarded-Proto (or http) and the Host header. It is also the
     * StatusCallback of every send when `statusCallback` is on.
     */
    webhookBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Where the REST client sends (the test harness, a regional edge); default https://api.twilio.com. */
    apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    statusCallback: z.boolean().default(true),
    maxSendsPerSecond: z.number().int().min(1).max(1000).optional(),
  })
  .refine((s) => s.from !== undefined || s.messagingServiceSid !== undefined, {
    message: 'indique «from» o «messagingServiceSid» / give "from" or "messagingServiceSid"',
    path: ['from'],
  });
export type SmsChannelSettings = z.infer<typeof smsChannelSettingsSchema>;
export type SmsChannelSettingsInput = z.input<typeof smsChannelSettingsSchema>;

/** The fields of Twilio's incoming-message and status-callback requests we read (form-encoded). */
export const twilioWebhookSchema = z.looseObject({
  MessageSid: z.string().min(1).max(64),
  AccountSid: z.string().max(64).optional(),
  From: z.string().max(64).optional(),
  To: z.string().max(64).optional(),
  Body: z.string().max(20_000).optional(),
  NumMedia: z.coerce.number().int().min(0).max(20).optional(),
  MessageStatus: z.string().max(40).optional(),
  ErrorCode: z.string().max(16).optional(),
  ErrorMessage: z.string().max(1000).optional(),
  ProfileName: z.string().max(200).optional(),
});
export type TwilioWebhook = z.infer<typeof twilioWebhookSchema>;

/** What Twilio's REST API answers to `POST …/Messages.json` (the part we use). */
export const twilioMessageResourceSchema = z.looseObject({ sid: z.string().min(1).max(64), status: z.string().max(40) });
