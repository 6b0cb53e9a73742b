// Twilio Voice played for tests and demos: whole inbound calls against any base URL.
export * from './twiml-verbs.js';
export * from './simulated-call.js';
