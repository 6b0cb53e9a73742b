import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit, requestMeta } from '../audit/audit.js';
import { authorize, HANDLING_ROLES, STAFF_ROLES } from '../auth/principal.js';
import { HubError } from '../errors/error-registry.js';
import { principalOf } from '../http/authenticate.js';
import { withOfficialIdsFor } from './official-id-mask.js';
import type { HubContext } from '../runtime/context.js';
import {
  assertContactVisible,
  getContactDetail,
  isContactVisible,
  loadContactAccess,
  requireContact,
  searchContacts,
  type ContactAccess,
} from './contact-queries.js';
import { contactDetailSchema, contactExportSchema, contactSummarySchema, identityViewSchema } from './contact.schema.js';
import { exportContact } from './export-contact.usecase.js';
import { normalizeEmail, normalizePhone } from './identity-normalize.js';
import { mergeContacts } from './merge-contacts.usecase.js';
import { officialIdValidators } from './official-ids.js';

const idParams = z.object({ id: z.uuid() });
const officialIdInput = z.string().max(40).nullable().optional();
const patchBody = z
  .object({
    displayName: z.string().trim().min(1).max(200).nullable().optional(),
    curp: officialIdInput.describe('CURP (18); validated with its RENAPO check digit; null clears it'),
    rfc: officialIdInput.describe('RFC (12 or 13); validated with its SAT check digit; null clears it'),
    nss: officialIdInput.describe('NSS (11 digits); validated with its IMSS check digit; null clears it'),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'Indique al menos un campo / give at least one field' });
const mergeBody = z.object({ sourceContactId: z.uuid(), targetContactId: z.uuid() });
const mergeResult = z.object({
  sourceContactId: z.uuid(),
  targetContactId: z.uuid(),
  movedConversations: z.array(z.object({ id: z.uuid(), folio: z.string(), campaignId: z.uuid() })),
  movedIdentities: z.number().int(),
  filledFields: z.array(z.enum(['displayName', 'curp', 'rfc', 'nss'])),
});

const CONTACT_FIELDS = ['display_name', 'curp', 'rfc', 'nss'] as const;
type ContactChanges = Partial<Record<(typeof CONTACT_FIELDS)[number], string | null>>;

/** Official ids are stored normalised, and only when their check digit holds. */
function validatedChanges(body: z.infer<typeof patchBody>): ContactChanges {
  const changes: ContactChanges = {};
  if (body.displayName !== undefined) changes.display_name = body.displayName;
  for (const field of ['curp', 'rfc', 'nss'] as const) {
    const raw = body[field];
    if (raw === undefined) continue;
    if (raw === null) {
      changes[field] = null;
      continue;
    }
    const checked = officialIdValidators[field](raw);
    if (!checked.ok) throw new HubError('HUB_ERR_CONTACT_INVALID_ID', checked.reason, { field, reason: checked.reason });
    changes[field] = checked.value;
  }
  return changes;
}

const notMerged = (access: ContactAccess): void => {
  if (access.contact.merged_into_id) {
    throw new HubError('HUB_ERR_CONFLICT', 'El contacto fue fusionado; edite el contacto destino / the contact was merged; edit the surviving contact', {
      mergedIntoId: access.contact.merged_into_id,
    });
  }
};

export function contactsRoutes(ctx: HubContext): FastifyPluginAsyncZod {
  const db = ctx.db.kysely;
  return async (app) => {
    app.get(
      '/contacts',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Buscar contactos por nombre, teléfono, correo, folio, CURP, RFC o NSS / search contacts',
          querystring: z.object({ q: z.string().trim().min(2).max(200), limit: z.coerce.number().int().min(1).max(100).default(20) }),
          response: { 200: z.object({ items: z.array(contactSummarySchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, STAFF_ROLES);
        const items = await searchContacts(db, principal, request.query.q, request.query.limit);
        return { items: items.map((item) => withOfficialIdsFor(principal, item)) };
      },
    );

    app.get(
      '/contacts/:id',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Contacto con identidades e historial de conversaciones de sus campañas / contact with identities and history',
          params: idParams,
          response: { 200: contactDetailSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, STAFF_ROLES);
        return withOfficialIdsFor(principal, await getContactDetail(db, principal, request.params.id));
      },
    );

    app.patch(
      '/contacts/:id',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Actualizar nombre e identificadores oficiales (CURP, RFC, NSS) / update name and official ids',
          params: idParams,
          body: patchBody,
          response: { 200: contactDetailSchema },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        const { id } = request.params;
        await db.transaction().execute(async (trx) => {
          await trx.selectFrom('contacts').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
          const access = await requireContact(trx, id);
          assertContactVisible(principal, access);
          notMerged(access);
          const changes = validatedChanges(request.body);
          const changed = CONTACT_FIELDS.filter((key) => changes[key] !== undefined && access.contact[key] !== changes[key]);
          if (changed.length === 0) return;
          await trx
            .updateTable('contacts')
            .set({ ...changes, updated_at: new Date() })
            .where('id', '=', id)
            .execute();
          // Field names only: the audit log is append-only, so it must not become a second copy of personal data.
          await recordAudit(trx, {
            action: 'contact.updated',
            actorUserId: principal.userId,
            actorLabel: principal.email,
            targetType: 'contact',
            targetId: id,
            ...requestMeta(request),
            details: { fields: changed.map((key) => (key === 'display_name' ? 'displayName' : key)) },
          });
        });
        return withOfficialIdsFor(principal, await getContactDetail(db, principal, id));
      },
    );

    app.post(
      '/contacts/:id/identities',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Agregar un teléfono o correo al contacto (normalizado) / add a phone or email identity',
          params: idParams,
          body: z.object({ kind: z.enum(['phone', 'email']), value: z.string().min(1).max(320) }),
          response: { 200: z.object({ identity: identityViewSchema, created: z.boolean() }), 201: z.object({ identity: identityViewSchema, created: z.boolean() }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, HANDLING_ROLES);
        const { id } = request.params;
        const access = await requireContact(db, id);
        assertContactVisible(principal, access);
        notMerged(access);
        const { kind } = request.body;
        const value = kind === 'phone' ? normalizePhone(request.body.value) : normalizeEmail(request.body.value);
        if (!value) throw new HubError(kind === 'phone' ? 'HUB_ERR_CONTACT_INVALID_PHONE' : 'HUB_ERR_CONTACT_INVALID_EMAIL');

        const outcome = await db.transaction().execute(async (trx) => {
          const inserted = await trx
            .insertInto('contact_identities')
            .values({ contact_id: id, kind, value, channel_id: null })
            .onConflict((oc) => oc.constraint('contact_identities_unique').doNothing())
            .returningAll()
            .executeTakeFirst();
          if (inserted) {
            await recordAudit(trx, {
              action: 'contact.identity_added',
              actorUserId: principal.userId,
              actorLabel: principal.email,
              targetType: 'contact',
              targetId: id,
              ...requestMeta(request),
              details: { identityId: inserted.id, kind },
            });
            return { row: inserted, created: true };
          }
          const existing = await trx.selectFrom('contact_identities').selectAll().where('kind', '=', kind).where('value', '=', value).where('channel_id', 'is', null).executeTakeFirstOrThrow();
          return { row: existing, created: false };
        });

        if (outcome.row.contact_id !== id) {
          // Name the other contact only to someone allowed to see it (so they can merge).
          const other = await loadContactAccess(db, outcome.row.contact_id);
          const visible = other !== null && isContactVisible(principal, other);
          throw new HubError(
            'HUB_ERR_IDENTITY_TAKEN',
            'El identificador ya pertenece a otro contacto; si es la misma persona, fusiónelos con POST /api/v1/contacts/merge / the identity belongs to another contact; if it is the same person, merge them with POST /api/v1/contacts/merge',
            visible ? { otherContactId: outcome.row.contact_id } : undefined,
          );
        }
        const { row } = outcome;
        const identity = { id: row.id, kind: row.kind, value: row.value, channelId: row.channel_id, createdAt: row.created_at.toISOString() };
        return reply.code(outcome.created ? 201 : 200).send({ identity, created: outcome.created });
      },
    );

    app.post(
      '/contacts/merge',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Fusionar dos contactos conservando ambos historiales (auditado) / merge two contacts keeping both histories',
          body: mergeBody,
          response: { 200: z.object({ merge: mergeResult, contact: contactDetailSchema }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const merge = await mergeContacts({ db, relay: ctx.relay }, principal, request.body, requestMeta(request));
        return { merge, contact: withOfficialIdsFor(principal, await getContactDetail(db, principal, merge.targetContactId)) };
      },
    );

    app.get(
      '/contacts/:id/export',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Exportar todo lo que el hub guarda del contacto (derechos ARCO, auditado) / data-protection export',
          params: idParams,
          response: { 200: contactExportSchema },
        },
      },
      async (request) => exportContact(db, principalOf(request), request.params.id, requestMeta(request)),
    );
  };
}
