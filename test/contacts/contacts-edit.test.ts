import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createApiChannel, createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { auditEntries, createChannel, createContact, createConversation } from './contact-fixtures.js';

describe('contacts: official ids, identities and the data-protection export', () => {
  let hub: TestHub;
  let campA: { id: string };
  let campB: { id: string };
  let apiA: { id: string };
  const t = { admin: '', agentA: '', trainerA: '', agentB: '', supA: '', auditorAB: '' };
  let contact: { id: string };
  let phone = '';
  let seq = 0;

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campA = await createCampaign(db);
    campB = await createCampaign(db);
    apiA = (await createApiChannel(db, campA.id)).channel;
    t.admin = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    t.agentA = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campA.id] })).id);
    t.trainerA = await tokenFor(db, (await createUser(db, { roles: ['trainer'], campaignIds: [campA.id] })).id);
    t.agentB = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campB.id] })).id);
    t.supA = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campA.id] })).id);
    t.auditorAB = await tokenFor(db, (await createUser(db, { roles: ['auditor'], campaignIds: [campA.id, campB.id] })).id);
  });
  beforeEach(async () => {
    const db = hub.ctx.db.kysely;
    // A fresh contact per test; phone identities are unique across contacts.
    phone = `+52331234${String(5600 + seq++)}`;
    contact = await createContact(db, { name: 'Rosa García', identities: [{ kind: 'phone', value: phone }] });
    await createConversation(db, { campaignId: campA.id, channelId: apiA.id, contactId: contact.id });
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const patch = (token: string, id: string, payload: Record<string, unknown>) =>
    hub.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${id}`, headers: bearer(token), payload });
  const addIdentity = (token: string, id: string, payload: { kind: string; value: string }) =>
    hub.app.inject({ method: 'POST', url: `/api/v1/contacts/${id}/identities`, headers: bearer(token), payload });
  const row = (id: string) => hub.ctx.db.kysely.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it.each([
    ['curp', 'GAXR850715MDFRXS08', 'El dígito verificador de la CURP no corresponde / CURP check digit does not match'],
    ['curp', 'GAXR851315MDFRXS09', 'La fecha de nacimiento de la CURP no es válida / CURP birth date is not a valid date'],
    ['rfc', 'GODE561231GR9', 'El dígito verificador del RFC no corresponde / RFC check digit does not match'],
    ['rfc', 'GODE5612', 'El RFC debe tener 12 (persona moral) o 13 (persona física) caracteres / RFC must be 12 (company) or 13 (individual) characters long'],
    ['nss', '01987605234', 'El dígito verificador del NSS no corresponde / NSS check digit does not match'],
  ])('rejects an invalid %s (%s) with its reason and changes nothing', async (field, value, reason) => {
    const res = await patch(t.agentA, contact.id, { displayName: 'Otro nombre', [field]: value });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'HUB_ERR_CONTACT_INVALID_ID', message: reason, details: { field } });
    const after = await row(contact.id);
    expect([after.display_name, after.curp, after.rfc, after.nss]).toEqual(['Rosa García', null, null, null]);
    expect(await auditEntries(hub.ctx.db.kysely, 'contact.updated', contact.id)).toHaveLength(0);
  });

  it('stores valid ids normalised to upper case, audits which fields changed, and null clears', async () => {
    const res = await patch(t.agentA, contact.id, { curp: 'gaxr850715mdfrxs09', rfc: 'garx 850715 k22', nss: '0198-7605-233', displayName: ' Rosa García Xolalpa ' });
    expect(res.statusCode).toBe(200);
    // An agent sees the ids masked (official-id-mask.ts); the database holds them whole.
    expect(res.json()).toMatchObject({ curp: 'GAXR••••••••••••09', rfc: 'GARX•••••••22', nss: '•••••••5233', displayName: 'Rosa García Xolalpa' });
    const stored = await row(contact.id);
    expect([stored.curp, stored.rfc, stored.nss]).toEqual(['GAXR850715MDFRXS09', 'GARX850715K22', '01987605233']);
    const [audit] = await auditEntries(hub.ctx.db.kysely, 'contact.updated', contact.id);
    expect(audit?.details).toEqual({ fields: ['displayName', 'curp', 'rfc', 'nss'] });
    expect(JSON.stringify(audit?.details)).not.toContain('GAXR850715MDFRXS09');

    const cleared = await patch(t.agentA, contact.id, { rfc: null });
    expect(cleared.json()).toMatchObject({ rfc: null, curp: 'GAXR••••••••••••09' });
    expect((await row(contact.id)).rfc).toBeNull();
  });

  it('accepts the generic RFC for the general public', async () => {
    const res = await patch(t.agentA, contact.id, { rfc: 'xaxx010101000' });
    expect(res.statusCode).toBe(200);
    expect(res.json().rfc).toBe('XAXX•••••••00');
    expect((await row(contact.id)).rfc).toBe('XAXX010101000');
  });

  it('lets only handling roles of the contact’s campaigns edit', async () => {
    const trainer = await patch(t.trainerA, contact.id, { displayName: 'X' });
    expect([trainer.statusCode, trainer.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_ROLE']);
    const otherCampaign = await patch(t.agentB, contact.id, { displayName: 'X' });
    expect([otherCampaign.statusCode, otherCampaign.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_CAMPAIGN']);
    expect((await row(contact.id)).display_name).toBe('Rosa García');
    expect((await patch(t.agentA, contact.id, {})).statusCode).toBe(400);
  });

  it('adds a normalised phone or email, idempotently, and audits it', async () => {
    const res = await addIdentity(t.agentA, contact.id, { kind: 'phone', value: '044 33 8765 4321' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: true, identity: { kind: 'phone', value: '+523387654321', channelId: null } });
    const again = await addIdentity(t.agentA, contact.id, { kind: 'phone', value: '+52 1 33 8765 4321' });
    expect([again.statusCode, again.json().created]).toEqual([200, false]);
    const email = await addIdentity(t.agentA, contact.id, { kind: 'email', value: ' Rosa.Garcia@Correo.MX ' });
    expect(email.json().identity.value).toBe('rosa.garcia@correo.mx');
    expect(await auditEntries(hub.ctx.db.kysely, 'contact.identity_added', contact.id)).toHaveLength(2);
    const detail = (await hub.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}`, headers: bearer(t.agentA) })).json();
    expect(detail.identities.map((i: { value: string }) => i.value).sort()).toEqual([phone, '+523387654321', 'rosa.garcia@correo.mx'].sort());
  });

  it('rejects malformed phones and emails', async () => {
    const phone = await addIdentity(t.agentA, contact.id, { kind: 'phone', value: '12' });
    expect([phone.statusCode, phone.json().error.code]).toEqual([400, 'HUB_ERR_CONTACT_INVALID_PHONE']);
    const email = await addIdentity(t.agentA, contact.id, { kind: 'email', value: 'rosa@' });
    expect([email.statusCode, email.json().error.code]).toEqual([400, 'HUB_ERR_CONTACT_INVALID_EMAIL']);
  });

  it('answers 409 when the identity belongs to another contact, pointing at the merge endpoint', async () => {
    const db = hub.ctx.db.kysely;
    const owner = await createContact(db, { identities: [{ kind: 'email', value: 'compartido@example.mx' }] });
    await createConversation(db, { campaignId: campA.id, channelId: apiA.id, contactId: owner.id });
    const res = await addIdentity(t.agentA, contact.id, { kind: 'email', value: 'COMPARTIDO@example.mx' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'HUB_ERR_IDENTITY_TAKEN', details: { otherContactId: owner.id } });
    expect(res.json().error.message).toContain('/api/v1/contacts/merge');
    const owners = await db.selectFrom('contact_identities').select('contact_id').where('value', '=', 'compartido@example.mx').execute();
    expect(owners).toEqual([{ contact_id: owner.id }]);

    // The other contact's id is not disclosed to someone who cannot see it.
    const hidden = await createContact(db, { identities: [{ kind: 'email', value: 'oculto@example.mx' }] });
    const channelB = await createChannel(db, campB.id, 'email', 'Correo B');
    await createConversation(db, { campaignId: campB.id, channelId: channelB.id, contactId: hidden.id });
    const blind = await addIdentity(t.agentA, contact.id, { kind: 'email', value: 'oculto@example.mx' });
    expect(blind.statusCode).toBe(409);
    expect(blind.json().error.details).toBeUndefined();
  });

  it('exports everything about the contact to an auditor of all its campaigns, and audits the export', async () => {
    const db = hub.ctx.db.kysely;
    const mailB = await createChannel(db, campB.id, 'email', 'Correo');
    const convB = await createConversation(db, { campaignId: campB.id, channelId: mailB.id, contactId: contact.id, closed: true });
    await db
      .insertInto('messages')
      .values({ conversation_id: convB.id, channel_id: mailB.id, direction: 'inbound', sender_type: 'contact', content_type: 'text', text: 'Necesito mi cita', status: 'received', raw: JSON.stringify({ subject: 'Cita' }) })
      .execute();

    const res = await hub.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/export`, headers: bearer(t.auditorAB) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.contact.id).toBe(contact.id);
    expect(body.identities.map((i: { value: string }) => i.value)).toEqual([phone]);
    expect(body.conversations).toHaveLength(2);
    const withMessage = body.conversations.find((c: { folio: string }) => c.folio === convB.folio);
    expect(withMessage.messages).toEqual([expect.objectContaining({ text: 'Necesito mi cita', raw: { subject: 'Cita' } })]);
    const [audit] = await auditEntries(db, 'data.exported', contact.id);
    expect(audit?.details).toMatchObject({ conversations: 2, messages: 1 });

    // A supervisor of only one of its campaigns would produce an incomplete export: refused.
    const partial = await hub.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/export`, headers: bearer(t.supA) });
    expect([partial.statusCode, partial.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_CAMPAIGN']);
    const agent = await hub.app.inject({ method: 'GET', url: `/api/v1/contacts/${contact.id}/export`, headers: bearer(t.agentA) });
    expect([agent.statusCode, agent.json().error.code]).toEqual([403, 'HUB_ERR_FORBIDDEN_ROLE']);
    expect(await auditEntries(db, 'data.exported', contact.id)).toHaveLength(1);
  });
});
