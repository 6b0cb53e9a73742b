import { randomBytes } from 'node:crypto';
import type { Caller, Fixtures } from './authz-world.js';

/**
 * Inputs that pass a route's validation (which Fastify runs before the handler's role check),
 * where the example generated from the OpenAPI schema would not: refinements, formats and
 * "at least one field" rules the JSON Schema cannot express.
 */
export interface Probe {
  body?: (fx: Fixtures, caller: Caller) => unknown;
  query?: (fx: Fixtures) => Record<string, string>;
  /** A non-JSON body (multipart uploads), sent as is. */
  raw?: { contentType: string; payload: string };
}

const BOUNDARY = 'authz-boundary';
const MULTIPART_TEXT_FILE = {
  contentType: `multipart/form-data; boundary=${BOUNDARY}`,
  payload: [`--${BOUNDARY}`, 'Content-Disposition: form-data; name="file"; filename="nota.txt"', 'Content-Type: text/plain', '', 'hola', `--${BOUNDARY}--`, ''].join('\r\n'),
};

const PASSWORD = 'Contraseña-segura-2026';

export const PROBES: Record<string, Probe> = {
  'POST /api/v1/auth/totp/enable': { body: () => ({ code: '123456' }) },
  'POST /api/v1/auth/password': { body: () => ({ currentPassword: PASSWORD, newPassword: 'Otra-contraseña-segura-2027' }) },
  'POST /api/v1/users': { body: () => ({ email: `nuevo-${randomBytes(4).toString('hex')}@example.mx`, displayName: 'Nueva', password: PASSWORD, roles: ['agent'] }) },
  'PATCH /api/v1/users/:id': { body: () => ({ displayName: 'Nombre nuevo' }) },
  'PUT /api/v1/users/:id/password': { body: () => ({ password: PASSWORD }) },
  'POST /api/v1/campaigns': { body: () => ({ slug: `c-${randomBytes(3).toString('hex')}`, name: 'Campaña nueva', folioPrefix: 'QZ' }) },
  'POST /api/v1/conversations/:id/messages': { body: () => ({ text: 'Buenos días' }) },
  'PATCH /api/v1/contacts/:id': { body: () => ({ displayName: 'Ciudadana' }) },
  'POST /api/v1/contacts/merge': { body: (fx) => ({ sourceContactId: fx.contact2, targetContactId: fx.contact }) },
  'POST /api/v1/contacts/:id/identities': { body: () => ({ kind: 'phone', value: '5512345678' }) },
  'POST /api/v1/sla/campaigns/:campaignId/outages': { body: () => ({ startedAt: '2026-01-11T10:00:00Z', endedAt: '2026-01-11T11:00:00Z', description: 'Falla' }) },
  'POST /api/v1/quality/scorecards': { body: (fx) => ({ campaignId: fx.campaignA, name: 'Guía nueva', items: [{ id: 'saludo', label: 'Saluda', weight: 100, critical: false }] }) },
  'PATCH /api/v1/quality/scorecards/:id': { body: () => ({ name: 'Guía revisada' }) },
  'POST /api/v1/appointments/campaigns/:campaignId/appointments': {
    body: () => ({ serviceId: 'consulta', roomId: 'sala-1', startsAt: '2026-02-02T16:00:00Z', officialId: { kind: 'nss', value: '12345678901' } }),
  },
  'POST /api/v1/voice/callbacks': { body: (fx) => ({ campaignId: fx.campaignA, phone: '5512345678' }) },
  'POST /api/v1/voice/blasts': { body: (fx) => ({ campaignId: fx.campaignA, channelId: fx.voiceChannel, name: 'Aviso', messageText: 'Su cita es mañana' }) },
  'PUT /api/v1/voice/ivr-models/draft': { body: (fx) => ({ campaignId: fx.campaignA, treeText: 'menu' }) },
  'POST /api/v1/voice/calls/:conversationId/conference': { body: () => ({ to: '+525512345678' }) },
  'POST /api/v1/voice/token': { body: (fx) => ({ channelId: fx.voiceChannel }) },
  'GET /api/v1/internal-messages/export': { query: (fx) => ({ campaignId: fx.campaignA, from: '2026-01-01T00:00:00Z', to: '2026-01-31T00:00:00Z' }) },
  // Nobody writes to themself: the supervisor writes to the agent, everyone else to the supervisor.
  'POST /api/v1/internal-messages': {
    body: (fx, caller) => ({ campaignId: fx.campaignA, toUserId: caller === 'supervisor' ? fx.userIds.agent : fx.userIds.supervisor, body: 'Consulta' }),
  },
  'POST /api/v1/conversations/:id/files': { raw: MULTIPART_TEXT_FILE },
  'POST /api/v1/privacy/arco-requests/:id/rectify': { body: () => ({ displayName: 'Titular' }) },
  'POST /api/v1/campaigns/:id/disposition-codes': { body: () => ({ code: 'NUEVO', label: 'Nuevo' }) },
  'PUT /api/v1/disposition-codes/:id': { body: () => ({ label: 'Información general' }) },
  'PUT /api/v1/kb-articles/:id': { body: () => ({ title: 'Vigencia de derechos' }) },
  'PUT /api/v1/canned-responses/:id': { body: () => ({ shortcut: 'saludo', title: 'Saludo', body: 'Buenas tardes' }) },
  'POST /api/v1/campaigns/:id/canned-responses': { body: () => ({ shortcut: `s-${randomBytes(3).toString('hex')}`, title: 'Despedida', body: 'Hasta luego' }) },
  'POST /api/v1/conversations/:id/supervision/whisper': { body: () => ({ text: 'Ofrece la cita' }) },
  'POST /api/v1/conversations/:id/supervision/barge': { body: () => ({ text: 'Buenos días, soy la supervisora' }) },
};
