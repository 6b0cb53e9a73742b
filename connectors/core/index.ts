export * from './channel-adapter.js';
export * from './inbound-event.js';
export * from './outbound-message.js';
export * from './signature.js';
export * from './registry.js';
export * from './delivery-errors.js';
export * from './assert-encodable.js';
export * from './message-template.schema.js';
