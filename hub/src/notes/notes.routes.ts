import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { addNote } from './add-note.usecase.js';
import { addNoteBodySchema, noteViewSchema } from './note.schema.js';

export function notesRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/conversations/:id/notes',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Nota privada (nunca se envía al ciudadano) / private note, never sent to the citizen',
          params: z.object({ id: z.uuid() }),
          body: addNoteBodySchema,
          response: { 201: z.object({ note: noteViewSchema }) },
        },
      },
      async (request, reply) => {
        const { note, outbox } = await addNote(ctx.db.kysely, principalOf(request), request.params.id, request.body.text);
        ctx.relay.publishCommitted(outbox);
        return reply.status(201).send({ note });
      },
    );
  };
}
