import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@ventanilla/hub';
import { cancelAppointment } from '../../../hub/src/appointments/booking/cancel-appointment.usecase.js';
import { noticeCitizen } from '../../../hub/src/appointments/notices/citizen-notice.js';
import { runReminderPass } from '../../../hub/src/appointments/reminders/reminder-passes.js';
import { HubError } from '../../../hub/src/errors/error-registry.js';
import { createApiChannel } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { book, clinicCampaign, enableReminders, local, originConversation as origin } from './reminder-fixtures.js';

/**
 * The reminder job (issue 11 item 4) and noticeCitizen's outbound conversations, on the real
 * PostgreSQL with a fixed clock: NOW is Thursday 26 Nov 2026 10:00 local (16:00Z).
 */
const NOW = new Date('2026-11-26T16:00:00Z');

async function createChannel(db: Kysely<Database>, campaignId: string, kind: 'sms' | 'whatsapp' | 'email', settings: Record<string, unknown>) {
  return db
    .insertInto('channels')
    .values({ campaign_id: campaignId, kind, name: kind, settings: JSON.stringify(settings), secrets: '{}' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

const SMS_SETTINGS = { accountSid: `AC${'0'.repeat(32)}`, from: '+525550001000', webhookBaseUrl: 'http://127.0.0.1:9', apiBaseUrl: 'http://127.0.0.1:9' };
const WA_TEMPLATE = { name: 'recordatorio_cita', language: 'es_MX', category: 'utility', body: 'Su cita {{1}} es el {{2}} a las {{3}} en {{4}} ({{5}}). Responda SÍ o NO.', variables: 5 };

describe('appointment reminders: the job and the notices', () => {
  let hub: TestHub;
  let db: Kysely<Database>;

  beforeAll(async () => {
    hub = await createTestHub();
    db = hub.ctx.db.kysely;
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  const originConversation = (campaignId: string, channelId: string, externalId: string) => origin(db, campaignId, channelId, externalId);

  it('reminds each booked or confirmed appointment within hoursBefore exactly once, even when two passes race; never a cancelled one or one outside the window', async () => {
    const campaignId = await clinicCampaign(db);
    await enableReminders(db, campaignId, { hoursBefore: 24 });
    const { channel } = await createApiChannel(db, campaignId);
    const inWindow = [];
    for (const [i, time] of ['08:00', '08:20', '09:00'].entries()) {
      const origin = await originConversation(campaignId, channel.id, `cit-${i}`);
      inWindow.push(await book(db, campaignId, local('2026-11-27', time), origin));
    }
    const outside = await book(db, campaignId, local('2026-11-27', '10:20'), await originConversation(campaignId, channel.id, 'cit-out')); // 24 h 20 min ahead
    const cancelled = await book(db, campaignId, local('2026-11-27', '08:40'), await originConversation(campaignId, channel.id, 'cit-cancel'));
    await cancelAppointment(db, { campaignId, folio: cancelled.folio, officialId: cancelled.nss, channel: 'api' }, { kind: 'bot' }, { now: NOW });

    const [a, b] = await Promise.all([runReminderPass(hub.ctx, NOW), runReminderPass(hub.ctx, NOW)]);
    expect(a.sent + b.sent).toBe(3);
    expect(a.noChannel + b.noChannel).toBe(0);

    const reminders = await db.selectFrom('appointment_reminders').selectAll().where('campaign_id', '=', campaignId).execute();
    expect(reminders.map((r) => r.appointment_id).sort()).toEqual(inWindow.map((x) => x.id).sort());
    expect(reminders.every((r) => r.status === 'sent' && r.kind === 'reminder' && r.channel_kind === 'api')).toBe(true);
    const events = await db.selectFrom('appointment_events').selectAll().where('campaign_id', '=', campaignId).where('kind', '=', 'appointment.reminder_sent').execute();
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.actor_kind === 'system')).toBe(true);

    // One pending message per reminded citizen, in the conversation the booking came from, with the Spanish text first.
    const first = inWindow[0]!;
    const messages = await db
      .selectFrom('messages')
      .innerJoin('appointments', 'appointments.conversation_id', 'messages.conversation_id')
      .select(['messages.text', 'messages.status', 'messages.sender_type', 'appointments.folio'])
      .where('appointments.campaign_id', '=', campaignId)
      .where('messages.direction', '=', 'outbound')
      .execute();
    expect(messages).toHaveLength(3);
    const text = messages.find((m) => m.folio === first.folio)?.text ?? '';
    expect(text).toMatch(new RegExp(`^Le recordamos su cita ${first.folio} el viernes, 27 de noviembre de 2026 a las 08:00 en UMF 7 Tlalpan, Consultorio 1 \\(Medicina familiar\\)\\. Responda SÍ para confirmar o NO para cancelar\\.`));
    expect(text).toContain('Reply SÍ to confirm');
    expect(messages.every((m) => m.status === 'pending' && m.sender_type === 'system')).toBe(true);

    // A later pass finds nothing new; the one outside the window comes due 20 minutes later.
    expect((await runReminderPass(hub.ctx, NOW)).sent).toBe(0);
    const later = await runReminderPass(hub.ctx, new Date(NOW.getTime() + 20 * 60_000));
    expect(later.sent).toBe(1);
    expect(await db.selectFrom('appointment_reminders').select('appointment_id').where('campaign_id', '=', campaignId).where('appointment_id', '=', outside.id).executeTakeFirst()).toBeDefined();
    expect(await db.selectFrom('appointment_reminders').select('id').where('appointment_id', '=', cancelled.id).executeTakeFirst()).toBeUndefined();
  });

  it('sends nothing for a campaign whose reminders are off', async () => {
    const campaignId = await clinicCampaign(db);
    const { channel } = await createApiChannel(db, campaignId);
    await book(db, campaignId, local('2026-11-27', '08:00'), await originConversation(campaignId, channel.id, 'off-1'));
    expect((await runReminderPass(hub.ctx, NOW)).sent).toBe(0);
    expect(await db.selectFrom('appointment_reminders').select('id').where('campaign_id', '=', campaignId).execute()).toEqual([]);
  });

  it('noticeCitizen opens an outbound SMS conversation for a citizen known only by a phone: closed to queues, message pending for the outbound worker', async () => {
    const campaignId = await clinicCampaign(db);
    const sms = await createChannel(db, campaignId, 'sms', SMS_SETTINGS);
    const notice = await db.transaction().execute((trx) =>
      noticeCitizen(trx, { campaignId, phone: '55 1234 0001', preferredKinds: ['whatsapp', 'sms', 'email'] }, 'Su cita CITA-20261127-000001 es mañana.', { now: NOW }),
    );
    expect(notice.channelKind).toBe('sms');
    expect(notice.skipped).toEqual([{ kind: 'whatsapp', reason: expect.stringMatching(/^la campaña no tiene ese canal habilitado/) }]);
    const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', notice.conversationId).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ channel_id: sms.id, status: 'resolved', queue_id: null, assignee_id: null });
    expect(conversation.closed_at).toBeInstanceOf(Date);
    const identity = await db.selectFrom('contact_identities').selectAll().where('contact_id', '=', conversation.contact_id).executeTakeFirstOrThrow();
    expect(identity).toMatchObject({ kind: 'phone', value: '+525512340001', channel_id: null });
    const [message] = await db.selectFrom('messages').selectAll().where('conversation_id', '=', notice.conversationId).execute();
    expect(message).toMatchObject({ id: notice.messageIds[0], direction: 'outbound', status: 'pending', text: 'Su cita CITA-20261127-000001 es mañana.' });

    // The same phone again: the same contact (as the ingest would find it), no duplicate identity.
    const again = await db.transaction().execute((trx) => noticeCitizen(trx, { campaignId, phone: '+52 55 1234 0001', preferredKinds: ['sms'] }, 'Otro aviso', { now: NOW }));
    expect(again.contactId).toBe(conversation.contact_id);
  });

  it('WhatsApp outside the 24 h window: the approved template when configured, else the next kind; no channel at all is a clear error', async () => {
    const campaignId = await clinicCampaign(db);
    const wa = await createChannel(db, campaignId, 'whatsapp', { phoneNumberId: '1234567', templates: [WA_TEMPLATE] });
    await createChannel(db, campaignId, 'sms', SMS_SETTINGS);

    const fallback = await db.transaction().execute((trx) => noticeCitizen(trx, { campaignId, phone: '5512340002' }, 'Aviso sin plantilla', { now: NOW }));
    expect(fallback.channelKind).toBe('sms');
    expect(fallback.skipped[0]).toMatchObject({ kind: 'whatsapp', reason: expect.stringMatching(/^fuera de la ventana de 24 h y sin plantilla/) });

    const templated = await db.transaction().execute((trx) =>
      noticeCitizen(trx, { campaignId, phone: '5512340003' }, 'Aviso con plantilla', {
        now: NOW,
        whatsappTemplate: { name: 'recordatorio_cita', language: 'es_MX', variables: ['CITA-20261127-000002', 'viernes 27', '08:00', 'UMF 7', 'Medicina familiar'] },
      }),
    );
    expect(templated.channelKind).toBe('whatsapp');
    const message = await db.selectFrom('messages').selectAll().where('id', '=', templated.messageIds[0]!).executeTakeFirstOrThrow();
    expect(message.channel_id).toBe(wa.id);
    expect(message.meta).toEqual({ template: { name: 'recordatorio_cita', language: 'es_MX', variables: ['CITA-20261127-000002', 'viernes 27', '08:00', 'UMF 7', 'Medicina familiar'] } });

    const error = await db
      .transaction()
      .execute((trx) => noticeCitizen(trx, { campaignId, email: 'sin-canal@example.mx', preferredKinds: ['email'] }, 'Aviso', { now: NOW }))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'HUB_ERR_APPOINTMENT_NO_NOTICE_CHANNEL', statusCode: 409 });
  });

  it('a reminder no channel can carry is recorded once as failed and not retried every pass', async () => {
    const campaignId = await clinicCampaign(db);
    await enableReminders(db, campaignId, { channelKinds: ['origin', 'sms'] });
    const appointment = await book(db, campaignId, local('2026-11-27', '08:00'));
    const first = await runReminderPass(hub.ctx, NOW);
    expect(first).toMatchObject({ sent: 0, noChannel: 1 });
    const row = await db.selectFrom('appointment_reminders').selectAll().where('appointment_id', '=', appointment.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.failure).toContain('sin teléfono');
    expect(await runReminderPass(hub.ctx, NOW)).toMatchObject({ sent: 0, noChannel: 0 });
  });
});
