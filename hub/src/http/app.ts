import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type FastifyPluginAsyncZod, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { HubError } from '../errors/error-registry.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { authRoutes } from '../auth/auth.routes.js';
import { usersRoutes } from '../auth/users.routes.js';
import { campaignsRoutes } from '../campaigns/campaigns.routes.js';
import { contactsRoutes } from '../contacts/contacts.routes.js';
import { conversationsRoutes } from '../conversations/conversations.routes.js';
import { fileDownloadRoutes, fileUploadRoutes } from '../files/files.routes.js';
import { notesRoutes } from '../notes/notes.routes.js';
import { internalMessagesRoutes } from '../internal-messages/internal-messages.routes.js';
import { slaRoutes } from '../sla/sla.routes.js';
import { billingRoutes } from '../billing/billing.routes.js';
import type { HubContext } from '../runtime/context.js';
import { authenticateHook } from './authenticate.js';
import { installErrorHandler } from './error-handler.js';
import { installSecurityHeaders } from './security-headers.js';
import { installHttpTracing } from '../observability/http-tracing.js';
import { routingRoutes } from '../router/http/routing.routes.js';
import { routingAdminRoutes } from '../router/http/routing-admin.routes.js';
import { inboxKnowledgeRoutes } from '../inbox/inbox-knowledge.routes.js';
import { massMailRoutes } from '../mass-mail/mass-mail.routes.js';
import { massSmsRoutes } from '../mass-sms/mass-sms.routes.js';
import { unsubscribeRoutes } from '../mass-mail/unsubscribe.routes.js';
import { surveysRoutes } from '../surveys/surveys.routes.js';
import { botConsoleRoutes } from '../bots/console/console.routes.js';
import { healthRoutes } from './health.routes.js';
import { webchatStaffRoutes } from '../webchat/webchat-staff.routes.js';
import { widgetRoutes } from '../webchat/widget.routes.js';
import { webhookRoutes } from './webhooks/webhook.routes.js';
import { whatsappWebRoutes } from '../whatsapp-web/whatsapp-web.routes.js';
import { callbackApiRoutes } from '../voice/callbacks/callback-api.routes.js';
import { wallboardRoutes } from '../wallboard/wallboard.routes.js';
import { callbackWidgetRoutes } from '../voice/callbacks/callback-widget.routes.js';
import { voicemailReportRoutes } from '../voice/voicemail/voicemail-report.routes.js';
import { voiceBlastRoutes } from '../voice/blaster/blast.routes.js';
import { voiceUsageRoutes } from '../voice/metering/voice-usage.routes.js';
import { voiceSurveySettingsRoutes } from '../voice/survey/voice-survey-settings.routes.js';
import { voiceWebhooks } from '@ventanilla/voice-bridge';
import { voiceBridgeOptions } from '../voice/core/voice-mount.js';
import { ivrModelsRoutes } from '../voice/ivr-models/ivr-models.routes.js';
import { voiceAgentRoutes } from '../voice/agent/voice-agent.routes.js';
import { voiceRecordingsRoutes } from '../voice/recordings/recordings.routes.js';
import { supervisionRoutes } from '../supervision/supervision.routes.js';
import { reportsRoutes } from '../reports/reports.routes.js';
import { qualityRoutes } from '../quality/quality.routes.js';
import { appointmentPortalRoutes, appointmentRoutes } from '../appointments/appointments.routes.js';
import { portalPageRoutes } from '../appointments/portal-page/portal-page.routes.js';
import { privacyRoutes } from '../privacy/privacy.routes.js';
import { arcoRoutes } from '../privacy/arco/arco.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its method, for the OpenAPI coverage test and diagnostics. */
    registeredRoutes: { method: string; url: string }[];
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Builds the HTTP app (not listening): tests drive it with inject(), main.ts listens. */
export async function buildApp(ctx: HubContext): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = ctx.logger;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: ctx.config.BODY_LIMIT_BYTES,
    // Only our own load balancers may say who the client is: anyone else could forge X-Forwarded-For to dodge per-address limits.
    trustProxy: ctx.config.TRUST_PROXY,
    requestIdHeader: 'x-request-id',
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: 'array' } },
  }).withTypeProvider<ZodTypeProvider>();

  const routes: { method: string; url: string }[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  installErrorHandler(app);
  installSecurityHeaders(app, ctx.config);
  // A span per request when OpenTelemetry tracing is on; nothing otherwise (observability/http-tracing.ts).
  installHttpTracing(app, ctx.tracing);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    ctx.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ventanilla hub API',
        description: 'REST API del hub de atención ciudadana / citizen-service hub REST API. Errors are JSON with a stable HUB_ERR_* code.',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(ctx));
  await app.register(webhookRoutes(ctx), { prefix: '/webhooks' });
  // Twilio Voice (issue 8): no prefix, Twilio signs the exact URL; the plugin checks X-Twilio-Signature itself.
  await app.register(voiceWebhooks, voiceBridgeOptions(ctx));
  // The web chat widget (issue 5): public, checked by Origin and visitor token, not by staff auth.
  await app.register(widgetRoutes(ctx), { prefix: '/widget/v1' });
  // A visitor asks for a call-back (issue 8 item 6): the widget's visitor token and a rate limit.
  await app.register(callbackWidgetRoutes(ctx), { prefix: '/widget/v1' });
  // Mass e-mail unsubscribe links (RFC 8058 one-click): public, authorised by the signed token.
  await app.register(unsubscribeRoutes(ctx));
  // The citizens' appointment portal (issue 11): public, rate-limited, a case proven by folio + secret.
  await app.register(appointmentPortalRoutes(ctx), { prefix: '/portal/v1' });
  await app.register(portalPageRoutes(ctx)); // its page and assets: /portal, /portal/tramite/:folio, /portal/assets/
  await app.register(authRoutes(ctx), { prefix: '/api/v1/auth' });
  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticateHook(ctx));
      await api.register(usersRoutes(ctx));
      await api.register(campaignsRoutes(ctx));
      await api.register(conversationsRoutes(ctx));
      await api.register(notesRoutes(ctx));
      await api.register(internalMessagesRoutes(ctx));
      await api.register(slaRoutes(ctx));
      await api.register(billingRoutes(ctx));
      await api.register(fileUploadRoutes(ctx));
      await api.register(contactsRoutes(ctx));
      await api.register(auditRoutes(ctx));
      await api.register(routingRoutes(ctx));
      await api.register(routingAdminRoutes(ctx));
      await api.register(inboxKnowledgeRoutes(ctx));
      await api.register(massMailRoutes(ctx));
      await api.register(massSmsRoutes(ctx));
      await api.register(webchatStaffRoutes(ctx));
      await api.register(whatsappWebRoutes(ctx));
      await api.register(surveysRoutes(ctx));
      await api.register(botConsoleRoutes(ctx));
      await api.register(callbackApiRoutes(ctx));
      await api.register(voicemailReportRoutes(ctx));
      await api.register(voiceBlastRoutes(ctx));
      await api.register(voiceUsageRoutes(ctx));
      await api.register(voiceSurveySettingsRoutes(ctx));
      await api.register(ivrModelsRoutes(ctx));
      await api.register(voiceAgentRoutes(ctx));
      await api.register(voiceRecordingsRoutes(ctx));
      await api.register(supervisionRoutes(ctx));
      await api.register(wallboardRoutes(ctx));
      await api.register(qualityRoutes(ctx));
      await api.register(appointmentRoutes(ctx));
      await api.register(privacyRoutes(ctx));
      await api.register(arcoRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  // Downloads authenticate themselves: a bearer header, or a signed ?token= for <img src> and providers.
  await app.register(fileDownloadRoutes(ctx), { prefix: '/api/v1' });
  // Reports take a staff session or a campaign's report token (BI tools): their own hook (reports/report-auth.ts).
  await app.register(reportsRoutes(ctx), { prefix: '/api/v1' });
  await app.register(widgetAssetRoutes(ctx));
  await serveInbox(app);
  return app;
}

/** The citizen's web chat widget (inbox-ui/dist-widget, `npm run build:ui`) and its demo page. */
const WIDGET_BUNDLE = fileURLToPath(new URL('../../../inbox-ui/dist-widget/widget.js', import.meta.url));
const WIDGET_DEMO = fileURLToPath(new URL('../../../inbox-ui/widget-demo.html', import.meta.url));

function widgetAssetRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Read per request (tens of kB, from the page cache): a rebuilt widget needs no restart. Every
    // site embeds the same URL, so the cache is short for a fix to reach them all within minutes.
    app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) => {
      const bundle = await readFile(WIDGET_BUNDLE).catch(() => null);
      if (!bundle) throw new HubError('HUB_ERR_NOT_FOUND', 'El widget no está compilado (npm run build:ui) / the widget is not built (npm run build:ui)');
      return reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        // Loaded by other sites' pages, some of which isolate themselves (COEP).
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(bundle);
    });
    // The demo page embeds the channel given as ?channel= or else the first enabled web chat channel.
    app.get('/widget-demo.html', { schema: { hide: true, querystring: z.object({ channel: z.uuid().optional() }) } }, async (request, reply) => {
      const channelId =
        request.query.channel ??
        (await ctx.db.kysely.selectFrom('channels').select('id').where('kind', '=', 'webchat').where('enabled', '=', true).orderBy('created_at').limit(1).executeTakeFirst())?.id;
      if (!channelId) throw new HubError('HUB_ERR_CHANNEL_NOT_FOUND', 'No hay un canal de chat web habilitado / there is no enabled web chat channel');
      const page = await readFile(WIDGET_DEMO, 'utf8');
      return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(page.replaceAll('data-channel="DEMO"', `data-channel="${channelId}"`));
    });
  };
}

/** The agent inbox (inbox-ui/dist, `npm run build:ui`) on the same origin — only once it is built. */
const INBOX_DIST = fileURLToPath(new URL('../../../inbox-ui/dist/', import.meta.url));
const NOT_THE_INBOX = /^\/(api|webhooks|socket\.io|assets|widget|portal)(\/|$)/;

async function serveInbox(app: FastifyInstance): Promise<void> {
  if (!existsSync(`${INBOX_DIST}index.html`)) return;
  // Bundles have content hashes in their names: cached for good.
  await app.register(fastifyStatic, { root: `${INBOX_DIST}assets`, prefix: '/assets/', index: false, immutable: true, maxAge: '365d' });
  // A browser asking for a page (`/` or an inbox path) gets the app; API clients still get JSON.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const route = request.routeOptions.url;
    if (NOT_THE_INBOX.test(request.url) || (route !== undefined && route !== '/') || !request.headers.accept?.includes('text/html')) return;
    return reply.header('cache-control', 'no-cache').sendFile('index.html', INBOX_DIST);
  });
}
