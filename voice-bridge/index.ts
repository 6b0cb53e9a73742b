// The voice bridge (issue 8): IVR trees as data, Twilio Voice webhooks and TwiML.
export * from './src/ivr/ivr.contract.js';
export * from './src/ivr/ivr.schema.js';
export * from './src/http/voice-webhooks.js';
export * from './src/http/in-memory-call-store.js';
export * from './src/ivr/validate-ivr-tree.js';
export * from './src/ivr/interpreter.js';
export * from './src/ivr/demo-ivr.js';
