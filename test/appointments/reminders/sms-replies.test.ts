import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type Database, type HubProcess } from '@ventanilla/hub';
import { changeAppointmentStatus } from '../../../hub/src/appointments/booking/change-status.usecase.js';
import { nearestSlots } from '../../../hub/src/appointments/booking/nearest-slots.query.js';
import { runReminderPass, runSurveyPass } from '../../../hub/src/appointments/reminders/reminder-passes.js';
import { TwilioHarness } from '../../harness/twilio/twilio-harness.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { dropNamespaces, testConfig } from '../../support/test-context.js';
import { createSmsChannel, SMS_FROM } from '../../sms/sms-channel.js';
import { book, clinicCampaign, enableReminders, slotAtOrAfter } from './reminder-fixtures.js';

/**
 * Reminders and their answers end to end over SMS (issue 11 item 4), on the real clock: the job
 * opens an outbound SMS conversation for a citizen known only by a phone, the outbound worker sends
 * it through the Twilio harness, the citizen's SÍ / NO comes back through the signed webhook, the
 * ingest worker's hook confirms or cancels (the slot is offered again), and the acknowledgement
 * goes out on the same path. A «sí» from someone with nothing pending goes to the normal flow.
 */
describe('appointment reminders over SMS (Twilio harness)', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0', OUTBOUND_BACKOFF_MS: '20', APPOINTMENT_REMINDER_INTERVAL_MS: '0' });
  const harness = new TwilioHarness();
  let hub: HubProcess;
  let db: Kysely<Database>;
  let campaignId: string;
  let webhookUrl: string;

  beforeAll(async () => {
    await harness.start();
    harness.defaultStatuses = [{ status: 'sent' }, { status: 'delivered' }];
    hub = await startHubProcess(config);
    db = hub.ctx.db.kysely;
    campaignId = await clinicCampaign(db);
    const channel = await createSmsChannel(db, campaignId, harness, hub.url ?? '');
    webhookUrl = `${hub.url}/webhooks/sms/${channel.id}`;
    await enableReminders(db, campaignId, { hoursBefore: 72, channelKinds: ['origin', 'whatsapp', 'sms', 'email'], survey: { enabled: true, delayMinutes: 60 } });
  });

  afterAll(async () => {
    await hub?.stop();
    await harness.stop();
    await dropNamespaces(config);
  });

  /** A citizen known only by a phone (as a portal or phone booking leaves them): a contact with that identity. */
  async function citizenWithPhone(phone: string): Promise<string> {
    const contact = await db.insertInto('contacts').values({ display_name: null }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('contact_identities').values({ contact_id: contact.id, kind: 'phone', value: phone, channel_id: null }).execute();
    return contact.id;
  }

  async function smsTo(phone: string, count: number) {
    await expect.poll(() => harness.sentTo(phone).length, { timeout: 15_000 }).toBe(count);
    return harness.sentTo(phone)[count - 1]!;
  }

  async function citizenWrites(phone: string, body: string): Promise<void> {
    const { response } = await harness.webhooks.inbound(webhookUrl, { from: phone, to: SMS_FROM, body });
    expect(response.status).toBe(200);
  }

  const status = async (id: string) => (await db.selectFrom('appointments').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('the reminder reaches the Twilio harness on a new SMS conversation; SÍ confirms and is acknowledged; the reply conversation closes', async () => {
    const phone = '+525512345001';
    const contactId = await citizenWithPhone(phone);
    const appointment = await book(db, campaignId, slotAtOrAfter(Date.now() + 2 * 86_400_000), { contactId, channel: 'portal' });
    expect((await runReminderPass(hub.ctx, new Date())).sent).toBeGreaterThanOrEqual(1);

    const reminder = await smsTo(phone, 1);
    expect(reminder.body).toMatch(new RegExp(`^Le recordamos su cita ${appointment.folio} el .+ en UMF 7 Tlalpan, Consultorio 1 \\(Medicina familiar\\)\\. Responda SÍ para confirmar o NO para cancelar\\.`));
    const row = await db.selectFrom('appointment_reminders').selectAll().where('appointment_id', '=', appointment.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', channel_kind: 'sms', contact_id: contactId });
    const noticeConversation = await db.selectFrom('conversations').select(['status', 'closed_at']).where('id', '=', row.conversation_id!).executeTakeFirstOrThrow();
    expect(noticeConversation.status).toBe('resolved');

    await citizenWrites(phone, 'Sí');
    await expect.poll(() => status(appointment.id), { timeout: 15_000 }).toBe('confirmed');
    const ack = await smsTo(phone, 2);
    expect(ack.body).toMatch(new RegExp(`^¡Gracias! Su cita ${appointment.folio} del .+ quedó confirmada`));
    const events = await db.selectFrom('appointment_events').select(['kind', 'actor_kind', 'channel']).where('appointment_id', '=', appointment.id).orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['appointment.booked', 'appointment.reminder_sent', 'appointment.confirmed']);
    expect(events[2]).toMatchObject({ actor_kind: 'citizen', channel: 'sms' });
    // The reply opened a conversation (the notice's was closed): nothing there for an agent, closed again.
    const reply = await db.selectFrom('appointment_replies').selectAll().where('appointment_id', '=', appointment.id).executeTakeFirstOrThrow();
    expect(reply).toMatchObject({ answer: 'yes', outcome: 'confirmed' });
    const replyConversation = await db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['conversations.status', 'conversations.assignee_id'])
      .where('messages.id', '=', reply.message_id)
      .executeTakeFirstOrThrow();
    expect(replyConversation).toEqual({ status: 'resolved', assignee_id: null });
  });

  it('NO cancels and the slot is offered again; a NO inside 12 hours is refused with a message, and a SÍ then still confirms', async () => {
    const phone = '+525512345002';
    const startsAt = slotAtOrAfter(Date.now() + 2 * 86_400_000 + 3_600_000);
    const appointment = await book(db, campaignId, startsAt, { contactId: await citizenWithPhone(phone), roomId: 'c2' });
    await runReminderPass(hub.ctx, new Date());
    await smsTo(phone, 1);
    await citizenWrites(phone, 'no puedo');
    await expect.poll(() => status(appointment.id), { timeout: 15_000 }).toBe('cancelled');
    expect((await smsTo(phone, 2)).body).toMatch(new RegExp(`^Su cita ${appointment.folio} del .+ fue cancelada y el horario quedó libre`));
    const offered = await nearestSlots(db, campaignId, { serviceId: 'mf', roomId: 'c2', from: startsAt, limit: 1 });
    expect(offered[0]).toMatchObject({ roomId: 'c2', startsAt: startsAt.toISOString() });

    const soonPhone = '+525512345003';
    const soon = await book(db, campaignId, slotAtOrAfter(Date.now() + 2 * 3_600_000), { contactId: await citizenWithPhone(soonPhone) });
    await runReminderPass(hub.ctx, new Date());
    await smsTo(soonPhone, 1);
    await citizenWrites(soonPhone, 'NO');
    const refusal = await smsTo(soonPhone, 2);
    expect(refusal.body).toMatch(new RegExp(`^No es posible cancelar su cita ${soon.folio} del .+: La cita solo puede cancelarse con al menos 12 horas de anticipación`));
    expect(await status(soon.id)).toBe('booked');
    await citizenWrites(soonPhone, 'sí confirmo');
    await expect.poll(() => status(soon.id), { timeout: 15_000 }).toBe('confirmed');
    expect((await smsTo(soonPhone, 3)).body).toContain('quedó confirmada');
  });

  it('a «sí» from a citizen with nothing pending goes to the normal flow: the conversation waits for an agent, nothing is answered', async () => {
    const phone = '+525512345004';
    await citizenWrites(phone, 'sí');
    await expect
      .poll(
        () =>
          db
            .selectFrom('conversations')
            .innerJoin('contact_identities', 'contact_identities.contact_id', 'conversations.contact_id')
            .select(['conversations.id', 'conversations.status', 'conversations.closed_at'])
            .where('contact_identities.value', '=', phone)
            .executeTakeFirst(),
        { timeout: 15_000 },
      )
      .toMatchObject({ status: 'queued', closed_at: null });
    const inbound = await db
      .selectFrom('messages')
      .innerJoin('contact_identities', (join) => join.on('contact_identities.value', '=', phone))
      .innerJoin('conversations', (join) => join.onRef('conversations.id', '=', 'messages.conversation_id').onRef('conversations.contact_id', '=', 'contact_identities.contact_id'))
      .select(['messages.id', 'messages.direction'])
      .execute();
    expect(inbound.map((m) => m.direction)).toEqual(['inbound']);
    expect(await db.selectFrom('appointment_replies').select('message_id').where('message_id', '=', inbound[0]!.id).executeTakeFirst()).toBeUndefined();
    expect(harness.sentTo(phone)).toEqual([]);
  });

  it('after the visit: the survey question goes out, a 1–5 answer is stored and acknowledged, and the per-office results show it', async () => {
    const phone = '+525512345005';
    const startsAt = slotAtOrAfter(Date.now() - 3 * 3_600_000);
    const appointment = await book(db, campaignId, startsAt, { contactId: await citizenWithPhone(phone), roomId: 'c2' });
    await changeAppointmentStatus(db, { campaignId, appointmentId: appointment.id, to: 'attended', channel: 'agent' }, { kind: 'system' });
    // Not before the configured delay (60 minutes) …
    expect((await runSurveyPass(hub.ctx, new Date(Date.now() + 30 * 60_000))).sent).toBe(0);
    expect((await runSurveyPass(hub.ctx, new Date(Date.now() + 61 * 60_000))).sent).toBe(1);
    expect((await smsTo(phone, 1)).body).toMatch(new RegExp(`^Gracias por su visita \\(${appointment.folio}\\)\\. Del 1 al 5`));

    await citizenWrites(phone, '4 me atendieron rápido');
    await expect
      .poll(() => db.selectFrom('appointment_surveys').select(['score', 'comment', 'office_id']).where('appointment_id', '=', appointment.id).executeTakeFirst(), { timeout: 15_000 })
      .toEqual({ score: 4, comment: 'me atendieron rápido', office_id: 'umf-7' });
    expect((await smsTo(phone, 2)).body).toMatch(/^¡Gracias por su respuesta!/);
    const events = await db.selectFrom('appointment_events').select('kind').where('appointment_id', '=', appointment.id).orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['appointment.booked', 'appointment.attended', 'appointment.survey_sent']);

    const auditor = await tokenFor(db, (await createUser(db, { roles: ['auditor'], campaignIds: [campaignId] })).id);
    const agent = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignId] })).id);
    const url = `${hub.url}/api/v1/appointments/campaigns/${campaignId}/surveys`;
    const res = await fetch(url, { headers: bearer(auditor) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ offices: [{ officeId: 'umf-7', officeName: 'UMF 7 Tlalpan', count: 1, mean: 4 }], total: { count: 1, mean: 4 } });
    expect((await fetch(url, { headers: bearer(agent) })).status).toBe(403);
  });
});
