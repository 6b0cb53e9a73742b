export { startGraphApiDouble, GRAPH_ERRORS, type GraphApiDouble, type GraphErrorReply, type GraphSendCall } from './graph-api-double.js';
export { MetaWebhookClient, type MetaWebhookClientOptions } from './meta-webhook-client.js';
