import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors/error-registry.js';
import { FileStore } from '../files/file-store.js';
import type { HubContext } from '../runtime/context.js';
import { createCaptchaRegistry, type CaptchaRegistry } from './captcha-registry.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import { WidgetOriginCache } from './widget-origins.js';

/** What the /widget/v1 routes share, built once per app. */
export interface WidgetServices {
  limiter: RateLimiter;
  captchas: CaptchaRegistry;
  origins: WidgetOriginCache;
  store: FileStore;
  limits: {
    sessionsPerIp: RateLimit;
    messagesPerVisitor: RateLimit;
    messagesPerIp: RateLimit;
    transcriptEmailsPerVisitor: RateLimit;
  };
}

export function createWidgetServices(ctx: HubContext): WidgetServices {
  const { config } = ctx;
  return {
    limiter: new RateLimiter(ctx.redis, config.REDIS_PREFIX),
    captchas: createCaptchaRegistry(ctx.redis, config.REDIS_PREFIX),
    origins: new WidgetOriginCache(ctx.db.kysely),
    store: new FileStore(config.DATA_DIR),
    limits: {
      sessionsPerIp: { bucket: 'widget-sessions-ip', limit: config.WIDGET_SESSIONS_PER_IP_PER_MINUTE, windowSeconds: 60 },
      messagesPerVisitor: { bucket: 'widget-messages-visitor', limit: config.WIDGET_MESSAGES_PER_VISITOR_PER_MINUTE, windowSeconds: 60 },
      messagesPerIp: { bucket: 'widget-messages-ip', limit: config.WIDGET_MESSAGES_PER_IP_PER_MINUTE, windowSeconds: 60 },
      transcriptEmailsPerVisitor: { bucket: 'widget-transcript-email', limit: config.WIDGET_TRANSCRIPT_EMAILS_PER_HOUR, windowSeconds: 3600 },
    },
  };
}

/**
 * A value an onRequest hook resolved for the handler of the same request (the visitor, the
 * channel), so the Origin and token are checked before the body is even read.
 */
export class RequestSlot<T> {
  private readonly values = new WeakMap<FastifyRequest, T>();
  set(request: FastifyRequest, value: T): void {
    this.values.set(request, value);
  }
  get(request: FastifyRequest): T {
    const value = this.values.get(request);
    if (value === undefined) throw new HubError('HUB_ERR_INTERNAL', 'widget request slot not filled by its hook');
    return value;
  }
}
