import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../../hub/src/appointments/procedures/open-case.usecase.js';
import { createApiChannel } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { createProcedure, latestDoc, officeStaff, openPortalCase, pdf, procedureBody, upload, type Staff } from './procedure-fixtures.js';

/** The reviewer's decision reaches the citizen: on the conversation the case came from, and always on the portal. */
let h: TestHub;
let dataDir: string;
let staff: Staff;
const db = () => h.ctx.db.kysely;

/** A procedure with one required document, so one approval approves the case. */
const oneDocument = procedureBody({ requirements: [{ id: 'ine', name: 'Identificación oficial', required: true, accept: ['application/pdf'] }] });

async function decide(folio: string, payload: Record<string, unknown>) {
  const doc = await latestDoc(db(), folio, 'ine');
  const reviewer = staff.reviewers.find((r) => r.id === doc.reviewer_id);
  if (!reviewer) throw new Error('assigned to one of the reviewers');
  const res = await h.app.inject({ method: 'POST', url: `/api/v1/appointments/campaigns/${staff.campaignId}/cases/${doc.case_id}/documents/${doc.id}/review`, headers: reviewer.auth, payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().case;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ventanilla-notices-'));
  h = await createTestHub({ DATA_DIR: dataDir });
  staff = await officeStaff(db());
  await createProcedure(h, staff, 'refrendo', oneDocument);
});
afterAll(async () => {
  await h.cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

describe('notices of the review', () => {
  it('a case opened on a conversation gets the decision there as a pending system message, enqueued for delivery', async () => {
    const { channel } = await createApiChannel(db(), staff.campaignId);
    const contact = await db().insertInto('contacts').values({ display_name: 'Ana' }).returning('id').executeTakeFirstOrThrow();
    const { folio: conversationFolio } = await db()
      .selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(staff.campaignId)]).as('folio'))
      .executeTakeFirstOrThrow();
    const conversation = await db()
      .insertInto('conversations')
      .values({ folio: conversationFolio, campaign_id: staff.campaignId, channel_id: channel.id, contact_id: contact.id, status: 'bot' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const officialId = 'GOMA800101HGTRRN01';
    const opened = await openCase(
      db(),
      { procedureId: 'refrendo', officialId: { kind: 'curp', value: officialId }, birthDate: '1980-01-15', fullName: 'Ana Gómez Trejo' },
      { channel: 'api', conversationId: conversation.id },
    );
    expect(opened).toMatchObject({ channel: 'api', conversation_id: conversation.id, status: 'documents_pending' });
    expect((await upload(h, opened.folio, officialId, 'ine', pdf())).statusCode).toBe(201);

    const view = await decide(opened.folio, { decision: 'rejected', reason: 'Foto borrosa' });
    expect(view.channel).toBe('api');
    const messages = await db().selectFrom('messages').select(['id', 'text', 'direction', 'sender_type', 'status']).where('conversation_id', '=', conversation.id).execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ direction: 'outbound', sender_type: 'system' });
    expect(messages[0]?.text).toContain('fue rechazado. Motivo: Foto borrosa.');
    const job = await h.ctx.queues.outbound.getJob(`out-${messages[0]?.id}`);
    expect(job?.data).toEqual({ messageId: messages[0]?.id });
  });

  it('a conversation that cannot take the notice (WhatsApp, 24 h window closed, no template): the decision stands, the portal notice is kept, nothing half-written', async () => {
    const whatsapp = await db().insertInto('channels').values({ campaign_id: staff.campaignId, kind: 'whatsapp', name: 'WhatsApp', settings: '{}', secrets: '{}' }).returning('id').executeTakeFirstOrThrow();
    const contact = await db().insertInto('contacts').values({ display_name: 'Rosa' }).returning('id').executeTakeFirstOrThrow();
    const { folio: conversationFolio } = await db()
      .selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(staff.campaignId)]).as('folio'))
      .executeTakeFirstOrThrow();
    const conversation = await db()
      .insertInto('conversations')
      .values({ folio: conversationFolio, campaign_id: staff.campaignId, channel_id: whatsapp.id, contact_id: contact.id, status: 'bot', last_inbound_at: new Date(Date.now() - 48 * 3_600_000) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const officialId = 'ROGA800101MGTRRN02';
    const opened = await openCase(
      db(),
      { procedureId: 'refrendo', officialId: { kind: 'curp', value: officialId }, birthDate: '1980-01-15', fullName: 'Rosa García' },
      { channel: 'whatsapp', conversationId: conversation.id },
    );
    expect((await upload(h, opened.folio, officialId, 'ine', pdf())).statusCode).toBe(201);
    const view = await decide(opened.folio, { decision: 'approved' });
    expect(view.status).toBe('approved');
    expect(view.notices).toHaveLength(1);
    expect(await db().selectFrom('messages').select('id').where('conversation_id', '=', conversation.id).execute()).toEqual([]);
    const audit = await db().selectFrom('audit_log').select('id').where('action', '=', 'appointment.document_reviewed').where('target_id', '=', (await latestDoc(db(), opened.folio, 'ine')).id).execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses to open a case on a conversation of another campaign', async () => {
    const other = await officeStaff(db());
    const { channel } = await createApiChannel(db(), other.campaignId);
    const contact = await db().insertInto('contacts').values({ display_name: 'Luis' }).returning('id').executeTakeFirstOrThrow();
    const { folio } = await db()
      .selectNoFrom((eb) => eb.fn<string>('next_folio', [eb.val(other.campaignId)]).as('folio'))
      .executeTakeFirstOrThrow();
    const conversation = await db().insertInto('conversations').values({ folio, campaign_id: other.campaignId, channel_id: channel.id, contact_id: contact.id, status: 'bot' }).returning('id').executeTakeFirstOrThrow();
    await expect(
      openCase(db(), { procedureId: 'refrendo', officialId: { kind: 'nss', value: '12345678901' }, birthDate: '1980-01-15', fullName: 'Luis Pérez' }, { channel: 'api', conversationId: conversation.id }),
    ).rejects.toMatchObject({ code: 'HUB_ERR_CONVERSATION_NOT_FOUND' });
  });

  it('a portal case whose campaign has no channel for its e-mail or phone: the decision stands, the notice stays on the portal, nothing is sent', async () => {
    const { folio, officialId } = await openPortalCase(h, 'refrendo', undefined, { email: 'ana@example.mx', phone: '477 123 4567' });
    const stored = await db().selectFrom('appointment_cases').select(['email', 'phone']).where('folio', '=', folio).executeTakeFirstOrThrow();
    expect(stored).toEqual({ email: 'ana@example.mx', phone: '4771234567' });
    expect((await upload(h, folio, officialId, 'ine', pdf())).statusCode).toBe(201);
    const messagesBefore = await countMessages();
    const view = await decide(folio, { decision: 'approved' });
    expect(view.status).toBe('approved');
    const portal = await h.app.inject({ method: 'GET', url: `/portal/v1/cases/${folio}`, headers: { 'x-official-id': officialId } });
    expect(portal.json().case.notices.map((n: { text: string }) => n.text)).toEqual([expect.stringContaining('Todos sus documentos están aprobados; ya puede agendar su cita.')]);
    expect(await countMessages()).toBe(messagesBefore);
  });

  it('a portal case with a phone and an SMS channel in the campaign: the decision goes out as an SMS, enqueued for delivery', async () => {
    const sms = await db().insertInto('channels').values({ campaign_id: staff.campaignId, kind: 'sms', name: 'SMS', settings: '{}', secrets: '{}' }).returning('id').executeTakeFirstOrThrow();
    const { folio, officialId } = await openPortalCase(h, 'refrendo', undefined, { phone: '477 765 4321' });
    expect((await upload(h, folio, officialId, 'ine', pdf())).statusCode).toBe(201);
    await decide(folio, { decision: 'rejected', reason: 'Documento vencido' });
    const messages = await db()
      .selectFrom('messages')
      .select(['id', 'text', 'sender_type'])
      .where('channel_id', '=', sms.id)
      .execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toContain(`Trámite ${folio}: su documento «Identificación oficial» fue rechazado. Motivo: Documento vencido.`);
    expect((await h.ctx.queues.outbound.getJob(`out-${messages[0]?.id}`))?.data).toEqual({ messageId: messages[0]?.id });
  });
});

async function countMessages(): Promise<number> {
  const row = await db().selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
