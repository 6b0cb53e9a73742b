export { smsChannelAdapter, smsWebhookUrl, sendTwilioMessage, classifySendError, smsOutboundSchema, TWILIO_SIGNATURE_HEADER, type SmsOutbound } from './sms-channel.adapter.js';
export { smsChannelSettingsSchema, type SmsChannelSettings, type SmsChannelSettingsInput } from './sms-channel.schema.js';
export { smsKeywordOf, normaliseKeyword, type SmsKeyword } from './sms-keywords.js';
export { TWILIO_STATUSES, isRetryableNonDelivery, twilioCodeOfReason, normaliseTwilioError } from './twilio-errors.js';
