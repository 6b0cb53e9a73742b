import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@ventanilla/hub';
import { bearer, tokenFor } from '../support/auth.js';
import { createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createChannel, createContact, createConversation } from '../contacts/contact-fixtures.js';
import { D1, insertAppointment, nss, staffCampaign } from '../appointments/http/staff-fixtures.js';

const CURP = 'LOPM850315MDFPRR03';
const NSS = '01987605233';
const MASKED_CURP = 'LOPM••••••••••••03';
const MASKED_NSS = '•••••••5233';

/** Official ids per role in every staff route that returns them (privacy/README.md, "Masking"). */
describe('privacy: official ids masked for the roles that do not need them', () => {
  let hub: TestHub;
  let campaignId: string;
  let contactId: string;
  let folio: string;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignId = await staffCampaign(db);
    const channel = await createChannel(db, campaignId, 'whatsapp', 'WhatsApp');
    const contact = await createContact(db, { name: 'María López', curp: CURP, nss: NSS });
    contactId = contact.id;
    await createConversation(db, { campaignId, channelId: channel.id, contactId });
    folio = (await insertAppointment(db, { campaignId, officeId: 'umf-20', roomId: 'c1', date: D1, time: '08:00', status: 'booked', n: 7 })).folio;
    for (const role of ['admin', 'supervisor', 'auditor', 'agent'] as const) {
      tokens[role] = await tokenFor(db, (await createUser(db, { roles: [role], campaignIds: [campaignId] })).id);
    }
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const get = (role: Role, url: string, query?: Record<string, string>) => hub.app.inject({ method: 'GET', url, ...(query ? { query } : {}), headers: bearer(tokens[role] ?? '') });

  it.each([
    ['admin', CURP, NSS],
    ['supervisor', CURP, NSS],
    ['auditor', CURP, NSS],
    ['agent', MASKED_CURP, MASKED_NSS],
  ] as const)('contact detail and search as %s', async (role, curp, nssValue) => {
    const detail = await get(role, `/api/v1/contacts/${contactId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ curp, nss: nssValue });
    const search = await get(role, '/api/v1/contacts', { q: CURP });
    expect(search.json().items).toEqual([expect.objectContaining({ id: contactId, curp, nss: nssValue })]);
  });

  it.each([
    ['admin', nss(7)],
    ['supervisor', nss(7)],
    ['agent', `${'•'.repeat(7)}${nss(7).slice(-4)}`],
  ] as const)('appointment list and detail as %s', async (role, officialId) => {
    const list = await get(role, `/api/v1/appointments/campaigns/${campaignId}/appointments`, { from: D1, to: D1 });
    expect(list.statusCode).toBe(200);
    expect(list.json().appointments).toEqual([expect.objectContaining({ folio, officialId })]);
    const detail = await get(role, `/api/v1/appointments/campaigns/${campaignId}/appointments/${folio}`);
    expect(detail.json().appointment).toMatchObject({ folio, officialId });
    expect(JSON.stringify(detail.json())).toContain(officialId);
    if (role === 'agent') expect(JSON.stringify(list.json())).not.toContain(nss(7));
  });

  it('the agent still finds the appointment by the whole NSS', async () => {
    const list = await get('agent', `/api/v1/appointments/campaigns/${campaignId}/appointments`, { q: nss(7) });
    expect(list.json().appointments.map((a: { folio: string }) => a.folio)).toEqual([folio]);
  });
});
