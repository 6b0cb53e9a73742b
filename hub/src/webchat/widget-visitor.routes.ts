import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { webchatChannelAdapter } from '@ventanilla/connectors';
import { normalizeEmail } from '../contacts/identity-normalize.js';
import { sendCampaignEmail } from '../email/campaign-mailer.js';
import { HubError } from '../errors/error-registry.js';
import { contentDisposition } from '../files/file-names.js';
import type { HubContext } from '../runtime/context.js';
import { surveyAnswersSchema } from '../surveys/survey-answers.schema.js';
import { recordSurvey, surveyFor } from '../surveys/survey.usecase.js';
import { endVisitorChat } from './end-visitor-chat.usecase.js';
import { assertCanWrite, sendVisitorMessage } from './send-visitor-message.usecase.js';
import { loadTranscript, transcriptHtml, transcriptText } from './transcript.js';
import { authenticateVisitor, type Visitor } from './visitor-auth.js';
import { conversationEnded, latestVisitorConversation } from './visitor-conversation.js';
import { sendTextRequestSchema, transcriptEmailRequestSchema, transcriptQuerySchema } from './widget-requests.schema.js';
import { widgetSessionState } from './widget-session-state.js';
import { RequestSlot, type WidgetServices } from './widget-services.js';

/** The routes of a visitor with a token (`Authorization: Bearer <visitorToken>`). */
export function widgetVisitorRoutes(ctx: HubContext, services: WidgetServices): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    const visitorOf = new RequestSlot<Visitor>();
    app.addHook('onRequest', async (request, reply) => {
      visitorOf.set(request, await authenticateVisitor(ctx, services.origins, request, reply));
    });

    /** The visitor's latest conversation, or 404 when they have not written yet. */
    const conversationOf = async (visitor: Visitor) => {
      const conversation = await latestVisitorConversation(db, visitor.channel.row.id, visitor.visitorId);
      if (!conversation) throw new HubError('HUB_ERR_WIDGET_NO_CONVERSATION');
      return conversation;
    };

    app.get('/session', { schema: { tags: ['widget'], summary: 'Estado de la conversación del visitante / the visitor’s conversation and messages' } }, async (request) =>
      widgetSessionState(db, visitorOf.get(request)),
    );

    app.post(
      '/messages',
      {
        schema: {
          tags: ['widget'],
          summary: 'Mensaje del visitante (se encola) / visitor message (enqueued)',
          body: sendTextRequestSchema,
          response: { 202: z.object({ accepted: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        const visitor = visitorOf.get(request);
        await services.limiter.hit(services.limits.messagesPerVisitor, visitor.visitorId);
        await services.limiter.hit(services.limits.messagesPerIp, request.ip);
        const text = request.body.text.trim();
        const max = webchatChannelAdapter.capabilities.maxTextLength;
        if (text.length === 0 || text.length > max) {
          throw new HubError('HUB_ERR_VALIDATION', `El mensaje debe tener de 1 a ${max} caracteres / the message must be 1 to ${max} characters`);
        }
        await assertCanWrite(ctx, visitor);
        await sendVisitorMessage(ctx, visitor, { clientMessageId: request.body.clientMessageId, content: { type: 'text', text }, requestId: request.id });
        return reply.status(202).send({ accepted: true as const });
      },
    );

    app.post(
      '/end',
      { schema: { tags: ['widget'], summary: 'El visitante termina el chat / the visitor ends the chat', response: { 200: z.object({ ended: z.literal(true) }) } } },
      async (request) => {
        await endVisitorChat(ctx, visitorOf.get(request), request.id);
        return { ended: true as const };
      },
    );

    app.get(
      '/transcript',
      { schema: { tags: ['widget'], summary: 'Descargar la transcripción (txt o html) / download the transcript', querystring: transcriptQuerySchema } },
      async (request, reply) => {
        const transcript = await loadTranscript(db, await conversationOf(visitorOf.get(request)));
        const html = request.query.format === 'html';
        return reply
          .header('content-type', html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8')
          .header('content-disposition', contentDisposition(`transcript-${transcript.folio}.${html ? 'html' : 'txt'}`, 'attachment'))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .send(html ? transcriptHtml(transcript) : transcriptText(transcript));
      },
    );

    app.post(
      '/transcript/email',
      {
        schema: {
          tags: ['widget'],
          summary: 'Enviar la transcripción por correo / e-mail the transcript',
          body: transcriptEmailRequestSchema,
          response: { 202: z.object({ queued: z.literal(true) }) },
        },
      },
      async (request, reply) => {
        const visitor = visitorOf.get(request);
        const typed = request.body.email;
        const to = typed ? normalizeEmail(typed) : visitor.session.email;
        if (!to) throw new HubError('HUB_ERR_VALIDATION', 'Indique un correo electrónico válido / give a valid e-mail address', [{ path: 'email', message: 'invalid' }]);
        await services.limiter.hit(services.limits.transcriptEmailsPerVisitor, visitor.visitorId);
        const transcript = await loadTranscript(db, await conversationOf(visitor));
        await sendCampaignEmail(ctx, visitor.channel.row.campaign_id, {
          to,
          subject: `Transcripción de su conversación ${transcript.folio}`,
          text: transcriptText(transcript),
          html: transcriptHtml(transcript),
        });
        request.log.info({ visitorId: visitor.visitorId, folio: transcript.folio }, 'widget transcript e-mailed');
        return reply.status(202).send({ queued: true as const });
      },
    );

    /** The survey is the visitor's own latest conversation's, once it ended (or they ended it). */
    const surveyConversation = async (visitor: Visitor) => {
      const conversation = await conversationOf(visitor);
      if (!(await conversationEnded(db, conversation))) throw new HubError('HUB_ERR_WIDGET_SURVEY_NOT_DUE');
      return conversation;
    };

    app.get('/survey', { schema: { tags: ['widget'], summary: 'Encuesta de salida / exit survey' } }, async (request) => {
      const conversation = await surveyConversation(visitorOf.get(request));
      const survey = await surveyFor(db, conversation.id);
      if (!survey) throw new HubError('HUB_ERR_SURVEY_DISABLED');
      return survey;
    });

    app.post(
      '/survey',
      {
        schema: {
          tags: ['widget'],
          summary: 'Responder la encuesta de salida / answer the exit survey',
          body: surveyAnswersSchema,
          response: { 200: z.object({ recorded: z.literal(true) }) },
        },
      },
      async (request) => {
        const conversation = await surveyConversation(visitorOf.get(request));
        // recordSurvey checks the answers against the campaign's questions and the agents who served it.
        await recordSurvey(db, conversation.id, request.body);
        return { recorded: true as const };
      },
    );
  };
}
