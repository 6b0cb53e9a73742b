import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '@ventanilla/hub';
import { cancelAppointment } from '../../../hub/src/appointments/booking/cancel-appointment.usecase.js';
import { requireCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { changeAppointmentStatus } from '../../../hub/src/appointments/booking/change-status.usecase.js';
import { addBusinessDays } from '../../../hub/src/appointments/reminders/business-days.js';
import { runConfirmationCampaign } from '../../../hub/src/appointments/reminders/confirmation-campaign.usecase.js';
import { runConfirmationPass } from '../../../hub/src/appointments/reminders/reminder-passes.js';
import { todayIn } from '../../../hub/src/appointments/reminders/request-delivery.js';
import { bearer, tokenFor } from '../../support/auth.js';
import { createApiChannel, createUser } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { book, clinicCampaign, enableReminders, local, originConversation } from './reminder-fixtures.js';

/**
 * The confirmation campaign (seed-digest §9.3: 5 business days ahead) and the settings / campaign /
 * survey routes. NOW is Thursday 26 Nov 2026 10:00 local; with Tuesday 1 Dec a holiday, 5 business
 * days ahead is Friday 4 Dec (Fri 27, Mon 30, Wed 2, Thu 3, Fri 4).
 */
const NOW = new Date('2026-11-26T16:00:00Z');

describe('confirmation campaigns and reminder settings', () => {
  let hub: TestHub;
  let db: Kysely<Database>;

  beforeAll(async () => {
    hub = await createTestHub();
    db = hub.ctx.db.kysely;
  });
  afterAll(async () => {
    await hub?.cleanup();
  });

  async function campaignWithChannel(holidays: { date: string; name: string }[] = []) {
    const campaignId = await clinicCampaign(db, holidays);
    const { channel } = await createApiChannel(db, campaignId);
    let n = 0;
    const bookThere = async (startsAt: Date, roomId: 'c1' | 'c2' = 'c1') => {
      n += 1;
      return book(db, campaignId, startsAt, { roomId, ...(await originConversation(db, campaignId, channel.id, `${campaignId}-${n}`)) });
    };
    return { campaignId, bookThere };
  }

  it('asks exactly the booked appointments 5 business days ahead, across a weekend and a holiday, and nobody twice', async () => {
    const { campaignId, bookThere } = await campaignWithChannel([{ date: '2026-12-01', name: 'Día inhábil' }]);
    await enableReminders(db, campaignId, { enabled: false, confirmation: { enabled: true } });
    const thursday = await bookThere(local('2026-12-03', '08:00'));
    const friday = await bookThere(local('2026-12-04', '08:00'));
    const confirmed = await bookThere(local('2026-12-04', '09:00'));
    const cancelled = await bookThere(local('2026-12-04', '10:00'));
    // 23:20 local on Friday is already Saturday in UTC: the local date decides.
    const lateFriday = await bookThere(local('2026-12-04', '23:20'), 'c2');
    const monday = await bookThere(local('2026-12-07', '08:00'));
    await changeAppointmentStatus(db, { campaignId, folio: confirmed.folio, to: 'confirmed', channel: 'agent' }, { kind: 'system' }, { now: NOW });
    await cancelAppointment(db, { campaignId, folio: cancelled.folio, officialId: cancelled.nss, channel: 'agent' }, { kind: 'system' }, { now: NOW });

    const result = await runConfirmationCampaign(hub.ctx, campaignId, NOW);
    expect(result).toMatchObject({ today: '2026-11-26', targetDate: '2026-12-04', businessDays: 5, asked: 2 });
    expect(result.skipped).toEqual([{ folio: confirmed.folio, reason: 'already_confirmed' }]);
    const asked = await db.selectFrom('appointment_reminders').select('appointment_id').where('campaign_id', '=', campaignId).where('kind', '=', 'confirmation').execute();
    expect(asked.map((r) => r.appointment_id).sort()).toEqual([friday.id, lateFriday.id].sort());
    const events = await db.selectFrom('appointment_events').select(['appointment_id', 'actor_kind']).where('campaign_id', '=', campaignId).where('kind', '=', 'appointment.confirmation_requested').execute();
    expect(events.map((e) => e.appointment_id).sort()).toEqual([friday.id, lateFriday.id].sort());
    expect(events.every((e) => e.actor_kind === 'system')).toBe(true);
    const texts = await db
      .selectFrom('messages')
      .innerJoin('appointments', 'appointments.conversation_id', 'messages.conversation_id')
      .select(['appointments.folio', 'messages.text'])
      .where('appointments.id', '=', friday.id)
      .execute();
    expect(texts).toHaveLength(1);
    expect(texts[0]?.text).toMatch(new RegExp(`^Su cita ${friday.folio} es el viernes, 4 de diciembre de 2026 a las 08:00 en UMF 7 Tlalpan, Consultorio 1 \\(Medicina familiar\\)\\. ¿Asistirá\\? Responda SÍ`));

    const again = await runConfirmationCampaign(hub.ctx, campaignId, new Date(NOW.getTime() + 3_600_000));
    expect(again.asked).toBe(0);
    expect([...again.skipped].sort((a, b) => a.folio.localeCompare(b.folio))).toEqual(
      [
        { folio: friday.folio, reason: 'already_asked' },
        { folio: confirmed.folio, reason: 'already_confirmed' },
        { folio: lateFriday.folio, reason: 'already_asked' },
      ].sort((a, b) => a.folio.localeCompare(b.folio)),
    );
    for (const untouched of [thursday, monday]) {
      expect(await db.selectFrom('appointment_reminders').select('id').where('appointment_id', '=', untouched.id).executeTakeFirst()).toBeUndefined();
    }
  });

  it('the daily job asks once the campaign\'s local hour reaches fromHour, and only for campaigns with the campaign on', async () => {
    const { campaignId, bookThere } = await campaignWithChannel();
    const due = await bookThere(local('2026-12-03', '08:00'));
    const off = await campaignWithChannel();
    const notAsked = await off.bookThere(local('2026-12-03', '08:00'));
    await enableReminders(db, off.campaignId, { enabled: true, confirmation: { enabled: false } });
    await enableReminders(db, campaignId, { enabled: false, confirmation: { enabled: true, fromHour: 11 } });
    // 10:00 local: too early for this campaign.
    expect((await runConfirmationPass(hub.ctx, NOW)).sent).toBe(0);
    // 11:00 local.
    expect((await runConfirmationPass(hub.ctx, new Date(NOW.getTime() + 3_600_000))).sent).toBe(1);
    expect(await db.selectFrom('appointment_reminders').select('kind').where('appointment_id', '=', due.id).executeTakeFirst()).toEqual({ kind: 'confirmation' });
    expect(await db.selectFrom('appointment_reminders').select('kind').where('appointment_id', '=', notAsked.id).executeTakeFirst()).toBeUndefined();
  });

  const settingsReply = z.object({ settings: z.looseObject({ enabled: z.boolean(), hoursBefore: z.number(), channelKinds: z.array(z.string()), confirmation: z.looseObject({ businessDays: z.number() }) }) });

  it('settings: admins read and write them (defaults fill, audited), supervisors read, bad placeholders refused in Spanish', async () => {
    const { campaignId } = await campaignWithChannel();
    const admin = await tokenFor(db, (await createUser(db, { roles: ['admin'] })).id);
    const supervisor = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    const agent = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignId] })).id);
    const url = `/api/v1/appointments/campaigns/${campaignId}/reminders/settings`;

    const initial = await hub.app.inject({ method: 'GET', url, headers: bearer(supervisor) });
    expect(initial.statusCode).toBe(200);
    expect(settingsReply.parse(initial.json()).settings).toMatchObject({ enabled: false, hoursBefore: 24, channelKinds: ['origin', 'whatsapp', 'sms', 'email'], confirmation: { businessDays: 5 } });
    expect((await hub.app.inject({ method: 'GET', url, headers: bearer(agent) })).statusCode).toBe(403);

    const put = await hub.app.inject({ method: 'PUT', url, headers: bearer(admin), payload: { enabled: true, hoursBefore: 48, channelKinds: ['sms', 'email'] } });
    expect(put.statusCode, put.body).toBe(200);
    expect(settingsReply.parse(put.json()).settings).toMatchObject({ enabled: true, hoursBefore: 48, channelKinds: ['sms', 'email'], confirmation: { businessDays: 5 } });
    expect(settingsReply.parse((await hub.app.inject({ method: 'GET', url, headers: bearer(admin) })).json()).settings.hoursBefore).toBe(48);
    const audit = await db.selectFrom('audit_log').selectAll().where('campaign_id', '=', campaignId).where('action', '=', 'appointment.reminders_configured').execute();
    expect(audit).toHaveLength(1);

    expect((await hub.app.inject({ method: 'PUT', url, headers: bearer(supervisor), payload: { enabled: true } })).statusCode).toBe(403);
    const bad = await hub.app.inject({ method: 'PUT', url, headers: bearer(admin), payload: { reminderText: { es: 'Su cita {cita} es mañana' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'HUB_ERR_VALIDATION' } });
    expect(bad.body).toContain('use solo {folio}');
  });

  it('the campaign route: admins and supervisors start it for today + N business days (audited); agents cannot', async () => {
    const { campaignId, bookThere } = await campaignWithChannel();
    const supervisor = await tokenFor(db, (await createUser(db, { roles: ['supervisor'], campaignIds: [campaignId] })).id);
    const agent = await tokenFor(db, (await createUser(db, { roles: ['agent'], campaignIds: [campaignId] })).id);
    const { calendar } = await requireCalendar(db, campaignId);
    // The route runs on the real clock: the target is computed the same way here.
    const target = addBusinessDays(calendar, todayIn(calendar.timeZone, new Date()), 5);
    const due = await bookThere(local(target, '12:00'));
    const url = `/api/v1/appointments/campaigns/${campaignId}/reminders/confirmation-campaign`;

    expect((await hub.app.inject({ method: 'POST', url, headers: bearer(agent) })).statusCode).toBe(403);
    const res = await hub.app.inject({ method: 'POST', url, headers: bearer(supervisor) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ targetDate: target, businessDays: 5, asked: 1, skipped: [] });
    expect(await db.selectFrom('appointment_reminders').select('kind').where('appointment_id', '=', due.id).executeTakeFirst()).toEqual({ kind: 'confirmation' });
    const audit = await db.selectFrom('audit_log').select(['action', 'details']).where('campaign_id', '=', campaignId).where('action', '=', 'appointment.confirmation_campaign_started').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ targetDate: target, asked: 1 });
  });
});
