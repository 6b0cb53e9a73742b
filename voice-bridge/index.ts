// The voice bridge (issue 8): IVR trees as data, Twilio Voice webhooks and TwiML.
export * from './src/ivr/ivr.contract.js';
export * from './src/ivr/ivr.schema.js';
