import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { errorBody, errorRegistry, HubError, type ErrorCode } from '../errors/error-registry.js';

/** Fastify's own error codes mapped onto our registry, so clients see one vocabulary. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'HUB_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'HUB_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'HUB_ERR_MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'HUB_ERR_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'HUB_ERR_MALFORMED_BODY',
};

/** Errors are JSON with a stable code; never a stack trace (SPEC §6). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HubError | Error, request, reply) => {
    const requestId = request.id;
    if (error instanceof HubError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return reply.status(error.statusCode).send(errorBody(error.code, error.message, error.details, requestId));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message,
      }));
      const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
      return reply.status(400).send(errorBody('HUB_ERR_VALIDATION', `Solicitud inválida / invalid request — ${summary}`, details, requestId));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply.status(500).send(errorBody('HUB_ERR_INTERNAL', undefined, undefined, requestId));
    }
    const fastifyCode = 'code' in error && typeof error.code === 'string' ? FASTIFY_CODES[error.code] : undefined;
    if (fastifyCode) {
      return reply.status(errorRegistry[fastifyCode].status).send(errorBody(fastifyCode, undefined, undefined, requestId));
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status === 429) return reply.status(429).send(errorBody('HUB_ERR_RATE_LIMITED', undefined, undefined, requestId));
    if (status >= 400 && status < 500) {
      return reply.status(status).send(errorBody('HUB_ERR_VALIDATION', error.message, undefined, requestId));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('HUB_ERR_INTERNAL', undefined, undefined, requestId));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('HUB_ERR_NOT_FOUND', `No existe la ruta ${request.method} ${request.url.split('?')[0]} / route not found`, undefined, request.id));
  });
}
