export { startXApiDouble, X_ERRORS, type XApiDouble, type XDmCall, type XErrorReply } from './x-api-double.js';
export { XWebhookClient, type XUser, type XWebhookClientOptions } from './x-webhook-client.js';
