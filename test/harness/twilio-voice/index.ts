// Twilio Voice played for tests and demos: whole inbound calls against any base URL, and the
// REST "cloud" (calls, conferences, recordings) the hub's VoiceRest talks to.
export * from './twiml-verbs.js';
export * from './simulated-call.js';
export { TwilioVoiceCloud, type TwilioVoiceCloudOptions } from './rest/twilio-voice-cloud.js';
export type { CallBehaviour, CallDirection, CallStatus, CloudCall, CloudConference, CloudParticipant, CloudRecording, CloudRequest, CloudWebhook } from './rest/cloud-types.js';
export { parseTwimlTree, type TwimlNode } from './rest/twiml-tree.js';
