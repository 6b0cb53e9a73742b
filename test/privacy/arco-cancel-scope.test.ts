import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createChannel, createContact, createConversation } from '../contacts/contact-fixtures.js';
import { insertAppointment, insertBlastRecipient, insertCase, insertMailRecipient, insertMassLists, insertSmsRecipient, insertVoiceTrail, insertWebchatSession, type Citizen } from './arco-scope-fixtures.js';

/** Every table a cancellation must reach beyond the conversations (privacy/README.md, Cancellation). */
const SCANNED_TABLES = [
  'contacts',
  'contact_identities',
  'appointments',
  'appointment_events',
  'appointment_surveys',
  'appointment_cases',
  'appointment_case_documents',
  'appointment_case_notices',
  'webchat_sessions',
  'voice_calls',
  'voice_voicemails',
  'voice_callbacks',
  'mass_sms_recipients',
  'mass_mailing_recipients',
  'voice_blast_recipients',
] as const;

const rosa: Citizen = { name: 'Rosa Hernández Pérez', nss: '31987654320', curp: 'HEPR900101MDFRRS09', phone: '+525511112222', email: 'rosa.hernandez@example.mx' };
const jorge: Citizen = { name: 'Jorge Díaz Ruiz', nss: '42876543219', curp: 'DIAJ850505HDFZRR01', phone: '+525533334444', email: 'jorge@example.mx' };
/** Rosa's data as it appears in the rows: the phone in several formats, a second e-mail only her case and a mailing list hold. */
const ROSA_TRACES = ['Hernández', rosa.nss, rosa.curp, '11112222', 'rosa.hernandez@', 'rosa.tramite@', '201.141.10.7'];
const JORGE_TRACES = ['Jorge Díaz Ruiz', jorge.nss, '33334444', 'jorge@example.mx', '189.203.4.4'];

describe('privacy: ARCO cancellation reaches appointments, cases, web chat, calls and mass lists', () => {
  let hub: TestHub;
  let dataDir: string;
  let campaignId: string;
  let adminToken: string;
  let supervisorToken: string;
  let agentToken: string;
  let rosaId: string;
  let caseId: string;
  let documentPath: string;
  let ids: { own: string; portal: string; jorge: string };

  /** Each scanned table as the JSON text of its rows, lower-cased. */
  async function dump(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of SCANNED_TABLES) {
      const { rows } = await sql<{ row: string }>`SELECT to_jsonb(t)::text AS row FROM ${sql.table(table)} t`.execute(hub.ctx.db.kysely);
      out[table] = rows.map((r) => r.row).join('\n').toLowerCase();
    }
    return out;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'privacy-arco-scope-'));
    hub = await createTestHub({ DATA_DIR: dataDir });
    const db = hub.ctx.db.kysely;
    const campaign = await createCampaign(db);
    campaignId = campaign.id;
    const whatsapp = await createChannel(db, campaignId, 'whatsapp', 'WhatsApp');
    const webchat = await createChannel(db, campaignId, 'webchat', 'Chat web');
    const voice = await createChannel(db, campaignId, 'voice', 'Voz');
    const smsChannel = await createChannel(db, campaignId, 'sms', 'SMS');
    const emailChannel = await createChannel(db, campaignId, 'email', 'Correo');

    const rosaVisitor = await insertWebchatSession(db, { campaignId, channelId: webchat.id, citizen: rosa, phone: '55 1111 2222', ip: '201.141.10.7' });
    await insertWebchatSession(db, { campaignId, channelId: webchat.id, citizen: jorge, phone: jorge.phone, ip: '189.203.4.4' });
    const rosaContact = await createContact(db, {
      name: rosa.name,
      nss: rosa.nss,
      curp: rosa.curp,
      identities: [
        { kind: 'phone', value: rosa.phone },
        { kind: 'email', value: rosa.email },
        { kind: 'external', value: rosaVisitor, channelId: webchat.id },
      ],
    });
    rosaId = rosaContact.id;
    const jorgeContact = await createContact(db, { name: jorge.name, nss: jorge.nss, identities: [{ kind: 'phone', value: jorge.phone }, { kind: 'email', value: jorge.email }] });
    await createConversation(db, { campaignId, channelId: whatsapp.id, contactId: rosaId, closed: true });
    const rosaCall = await createConversation(db, { campaignId, channelId: voice.id, contactId: rosaId, closed: true });
    const jorgeCall = await createConversation(db, { campaignId, channelId: voice.id, contactId: jorgeContact.id, closed: true });
    await insertVoiceTrail(db, { campaignId, channelId: voice.id, conversation: rosaCall, citizen: rosa, callerNumber: rosa.phone });
    await insertVoiceTrail(db, { campaignId, channelId: voice.id, conversation: jorgeCall, citizen: jorge, callerNumber: jorge.phone });

    // Rosa's case (portal, CURP) holds a second e-mail; its appointment carries no contact: only the CURP links it.
    const opened = await insertCase(db, dataDir, { campaignId, citizen: rosa, caseEmail: 'rosa.tramite@example.mx', casePhone: '5511112222' });
    caseId = opened.id;
    documentPath = opened.documentPath;
    const own = await insertAppointment(db, { campaignId, officialId: rosa.nss, familyGroupId: rosa.nss, contactId: rosaId, birthDate: '1990-01-01' });
    const portal = await insertAppointment(db, { campaignId, officialId: rosa.curp, familyGroupId: rosa.curp, caseId, status: 'cancelled', cancelReason: `${rosa.name} está hospitalizada` });
    // Rosa is the head of Jorge's family group: his appointment is grouped under her NSS.
    const jorgeAppointment = await insertAppointment(db, { campaignId, officialId: jorge.nss, familyGroupId: rosa.nss, contactId: jorgeContact.id, birthDate: '1985-05-05' });
    ids = { own: own.id, portal: portal.id, jorge: jorgeAppointment.id };
    await db
      .insertInto('appointment_events')
      .values({ appointment_id: portal.id, campaign_id: campaignId, kind: 'appointment.cancelled', actor_kind: 'portal', channel: 'portal', details: JSON.stringify({ folio: portal.folio, reason: `${rosa.name} está hospitalizada` }) })
      .execute();
    await db.insertInto('appointment_surveys').values({ appointment_id: own.id, campaign_id: campaignId, office_id: 'of-centro', score: 5, comment: `Soy ${rosa.name}, me atendieron bien` }).execute();

    const lists = await insertMassLists(db, { campaignId, smsChannelId: smsChannel.id, emailChannelId: emailChannel.id, voiceChannelId: voice.id });
    await insertSmsRecipient(db, lists.massSmsId, { phone: '5511112222', name: rosa.name, status: 'delivered' });
    await insertSmsRecipient(db, lists.massSmsId, { phone: jorge.phone, name: jorge.name, status: 'pending' });
    await insertMailRecipient(db, lists.mailingId, { email: 'Rosa.Tramite@example.mx', name: rosa.name });
    await insertMailRecipient(db, lists.mailingId, { email: jorge.email, name: jorge.name });
    await insertBlastRecipient(db, lists.blastId, { line: 1, phone: '+52 55 1111 2222', name: rosa.name });
    await insertBlastRecipient(db, lists.blastId, { line: 2, phone: jorge.phone, name: jorge.name });

    adminToken = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    supervisorToken = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    agentToken = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignId] })).id);
  });
  afterAll(async () => {
    await hub?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('before the cancellation the seeded tables do hold Rosa’s data (the scan can find it)', async () => {
    const before = await dump();
    for (const table of SCANNED_TABLES) {
      expect(ROSA_TRACES.some((trace) => before[table]?.includes(trace.toLowerCase())), table).toBe(true);
    }
  });

  it('leaves none of Rosa’s name, ids, phones, e-mails or IP in those tables, keeps Jorge’s and every counted row', async () => {
    const created = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/privacy/arco-requests',
      payload: { kind: 'cancelacion', campaignId, contactId: rosaId, requester: { name: rosa.name, relation: 'titular' } },
      headers: bearer(adminToken),
    });
    expect(created.statusCode).toBe(201);
    const res = await hub.app.inject({ method: 'POST', url: `/api/v1/privacy/arco-requests/${created.json().request.id}/cancel`, headers: bearer(adminToken) });
    expect(res.statusCode).toBe(200);
    expect(res.json().request.resolution).toMatchObject({ appointments: 2, cases: 1, caseDocuments: 1, webchatSessions: 1, calls: 1, voicemails: 1, callbacks: 1, massRecipients: 3 });

    const after = await dump();
    for (const table of SCANNED_TABLES) {
      for (const trace of ROSA_TRACES) expect(after[table], `${table} still holds ${trace}`).not.toContain(trace.toLowerCase());
    }
    const everything = Object.values(after).join('\n');
    for (const trace of JORGE_TRACES) expect(everything, `Jorge's ${trace}`).toContain(trace.toLowerCase());
    expect(existsSync(documentPath)).toBe(false);

    const db = hub.ctx.db.kysely;
    const appointments = await sql<{ id: string; status: string; official_id: string; family_group_id: string; birth_date: string | null; anonymised: boolean }>`
      SELECT id, status, official_id, family_group_id, birth_date::text, anonymised_at IS NOT NULL AS anonymised FROM appointments`.execute(db);
    const byId = new Map(appointments.rows.map((a) => [a.id, a]));
    expect(appointments.rows).toHaveLength(3);
    expect(byId.get(ids.own)).toMatchObject({ status: 'attended', official_id: 'CANCELADO', birth_date: null, anonymised: true });
    expect(byId.get(ids.portal)).toMatchObject({ status: 'cancelled', official_id: 'CANCELADO', anonymised: true });
    // Jorge keeps his id and stays grouped with Rosa's appointment under a token that is not her NSS.
    expect(byId.get(ids.jorge)).toMatchObject({ status: 'attended', official_id: jorge.nss, birth_date: '1985-05-05', anonymised: false });
    expect(byId.get(ids.jorge)?.family_group_id).toMatch(/^cancelado:/);
    expect(byId.get(ids.jorge)?.family_group_id).toBe(byId.get(ids.own)?.family_group_id);

    const call = await db.selectFrom('voice_calls').select(['status', 'ivr_state', 'from_number']).where('from_number', '=', 'anonimizado').executeTakeFirstOrThrow();
    expect(call.status).toBe('completed');
    expect(call.ivr_state).toEqual({ node: 'fin', attempts: 0, collected: {}, heard: {}, path: [{ node: 'menu' }, { node: 'pedir-nss' }] });
    expect(await db.selectFrom('voice_callbacks').select('status').where('phone', '=', 'anonimizado').execute()).toEqual([{ status: 'cancelled' }]);
    expect(await db.selectFrom('voice_callbacks').select('status').where('phone', '=', jorge.phone).execute()).toEqual([{ status: 'pending' }]);
    const sms = await db.selectFrom('mass_sms_recipients').select(['phone', 'status']).orderBy('phone').execute();
    expect(sms).toEqual([
      { phone: jorge.phone, status: 'pending' },
      { phone: expect.stringMatching(/^anonimizado:/), status: 'delivered' },
    ]);
    const mail = await db.selectFrom('mass_mailing_recipients').select(['email', 'status']).orderBy('email').execute();
    expect(mail).toEqual([
      { email: expect.stringMatching(/^anonimizado:/), status: 'suppressed' },
      { email: jorge.email, status: 'pending' },
    ]);
    const blast = await db.selectFrom('voice_blast_recipients').select(['line', 'phone', 'status']).orderBy('line').execute();
    expect(blast).toEqual([
      { line: 1, phone: expect.stringMatching(/^anonimizado:/), status: 'opted_out' },
      { line: 2, phone: jorge.phone, status: 'pending' },
    ]);
    const caseRow = await db.selectFrom('appointment_cases').select(['full_name', 'status', 'email', 'phone']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(caseRow).toEqual({ full_name: 'Titular cancelado', status: 'documents_pending', email: null, phone: null });
  });

  it('the staff still open the anonymised appointment (masked for agents) and the case', async () => {
    const { folio } = await hub.ctx.db.kysely.selectFrom('appointments').select('folio').where('id', '=', ids.own).executeTakeFirstOrThrow();
    const url = `/api/v1/appointments/campaigns/${campaignId}/appointments/${folio}`;
    const supervisor = await hub.app.inject({ method: 'GET', url, headers: bearer(supervisorToken) });
    expect(supervisor.statusCode).toBe(200);
    expect(JSON.stringify(supervisor.json())).toContain('CANCELADO');
    const agent = await hub.app.inject({ method: 'GET', url, headers: bearer(agentToken) });
    expect(agent.statusCode).toBe(200);
    expect(JSON.stringify(agent.json())).not.toContain(rosa.nss);
    const staffCase = await hub.app.inject({ method: 'GET', url: `/api/v1/appointments/campaigns/${campaignId}/cases/${caseId}`, headers: bearer(supervisorToken) });
    expect(staffCase.statusCode).toBe(200);
    expect(JSON.stringify(staffCase.json())).toContain('Titular cancelado');
    expect(JSON.stringify(staffCase.json())).not.toContain('Hernández');
  });
});
