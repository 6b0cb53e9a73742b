import { z } from 'zod';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'número E.164, p. ej. +525512345678 / E.164 number, e.g. +525512345678');

/**
 * Settings of a Twilio Voice channel (issue 8; non-secret — the auth token is stored apart as the
 * `authToken` secret). One channel = one or more Twilio numbers pointed at
 * `/webhooks/voice/<channelId>/incoming` (voice URL) and `/status` (status callback).
 */
export const voiceChannelSettingsSchema = z.strictObject({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'Account SID de Twilio (AC… 34 caracteres) / Twilio Account SID (AC…, 34 chars)'),
  /** The number outbound calls (agent legs, call-backs, blaster) show. */
  callerId: e164,
  /**
   * The public base URL Twilio is given (`https://ventanilla.example.gob.mx`): Twilio signs the
   * exact URL it posts to, so behind a TLS-terminating proxy the signature check needs it.
   * Without it: the hub's PUBLIC_URL.
   */
  webhookBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Where the REST client sends (the test harness, a regional edge); default https://api.twilio.com. */
  apiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The queue calls go to when the IVR names none; default: the campaign's default queue. */
  queueId: z.uuid().optional(),
  /** Dual-channel recording of every agent conversation (caller and agent on separate channels). */
  recording: z.boolean().default(true),
  /** How agents take calls: the browser softphone (Twilio Client), or their phone number / SIP address. */
  agentEndpoint: z.enum(['client', 'phone', 'sip']).default('client'),
  /** Seconds an agent leg rings before the offer counts as not answered. */
  agentRingSeconds: z.number().int().min(5).max(60).default(20),
  /** Outside business hours: voicemail is the only option (seed §1.2) instead of the after-hours treatment. */
  voicemailOutsideHours: z.boolean().default(true),
  /** Longest voicemail, seconds. */
  voicemailMaxSeconds: z.number().int().min(10).max(600).default(120),
  /** The post-call survey (keypad) after an agent hangs up. */
  survey: z.boolean().default(true),
  /** Call-back attempts and the wait between them. */
  callbackMaxAttempts: z.number().int().min(1).max(10).default(3),
  callbackRetryMinutes: z.number().int().min(1).max(1440).default(15),
  /**
   * Twilio Client (the browser softphone): the TwiML App named by the access token's voice grant
   * (agents receive calls; the hub does not place calls from the softphone, so its voice URL is
   * not used), and the API key that signs access tokens (secret `apiKeySecret`).
   */
  twimlAppSid: z.string().regex(/^AP[0-9a-fA-F]{32}$/).optional(),
  apiKeySid: z.string().regex(/^SK[0-9a-fA-F]{32}$/).optional(),
});
export type VoiceChannelSettings = z.infer<typeof voiceChannelSettingsSchema>;
export type VoiceChannelSettingsInput = z.input<typeof voiceChannelSettingsSchema>;
