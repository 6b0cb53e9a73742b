import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, hasRole, STAFF_ROLES } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import type { HubContext } from '../runtime/context.js';
import { maskIp } from './ip-mask.js';
import { webchatChannel } from './widget-channel.js';

export const webchatVisitorViewSchema = z.object({
  name: z.string().nullable(),
  email: z.string().nullable().describe('Lo que el visitante escribió, sin verificar / as typed by the visitor, unverified'),
  phone: z.string().nullable().describe('Lo que el visitante escribió, sin verificar / as typed by the visitor, unverified'),
  topic: z.string().nullable().describe('Etiqueta del tema elegido / label of the chosen topic'),
  origin: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  visitCount: z.number().int(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});

/** Who may see a visitor's whole IP; agents see it masked when the channel says so. */
const FULL_IP_ROLES = ['admin', 'supervisor', 'auditor'] as const;

/** GET /conversations/:id/webchat — the pre-chat data and technical details of a web chat visitor (issue 5 items 5–6). */
export function webchatStaffRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  return async (app) => {
    const db = ctx.db.kysely;
    app.get(
      '/conversations/:id/webchat',
      {
        schema: {
          tags: ['conversations'],
          summary: 'Datos del visitante del chat web / web chat visitor of the conversation',
          description: 'Pre-chat (sin verificar / unverified), origen, IP (enmascarada para agentes si el canal lo indica / masked for agents when the channel says so), navegador y visitas.',
          params: z.object({ id: z.uuid() }),
          response: { 200: webchatVisitorViewSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const conversation = await db.selectFrom('conversations').select(['id', 'campaign_id', 'channel_id', 'contact_id']).where('id', '=', request.params.id).executeTakeFirst();
        if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
        authorize(principal, STAFF_ROLES, conversation.campaign_id);
        const channel = await webchatChannel(ctx.channels, conversation.channel_id);
        // The visitor of this conversation: the contact's visitor identity on its channel (the
        // most recently seen, should a merge have given the contact two browsers).
        const session = channel
          ? await db
              .selectFrom('webchat_sessions as s')
              .innerJoin('contact_identities as i', (join) =>
                join.on((eb) => eb.and([eb('i.kind', '=', 'external'), eb('i.channel_id', '=', eb.ref('s.channel_id')), eb('i.value', '=', eb.cast<string>(eb.ref('s.visitor_id'), 'text'))])),
              )
              .selectAll('s')
              .where('s.channel_id', '=', conversation.channel_id)
              .where('i.contact_id', '=', conversation.contact_id)
              .orderBy('s.last_seen_at', 'desc')
              .limit(1)
              .executeTakeFirst()
          : undefined;
        if (!channel || !session) throw new HubError('HUB_ERR_NOT_FOUND', 'La conversación no es de chat web / not a web chat conversation');
        const wholeIp = !channel.settings.maskIp || hasRole(principal, FULL_IP_ROLES);
        return {
          name: session.name,
          email: session.email,
          phone: session.phone,
          topic: session.topic === null ? null : (channel.settings.prechat.topics.find((t) => t.id === session.topic)?.label ?? session.topic),
          origin: session.origin,
          ip: session.ip === null ? null : wholeIp ? session.ip : maskIp(session.ip),
          userAgent: session.user_agent,
          visitCount: session.visit_count,
          firstSeenAt: session.created_at.toISOString(),
          lastSeenAt: session.last_seen_at.toISOString(),
        };
      },
    );
  };
}
