import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentOfficialId, AppointmentPort } from '@ventanilla/bots';
import { botAppointmentPort, type BotAppointmentContext } from '../../../hub/src/appointments/bot/bot-appointments.port.js';
import { createApiChannel, createCampaign } from '../../support/factories.js';
import { createTestHub, type TestHub } from '../../support/test-context.js';
import { NOW, clinicCampaign, local, nss } from '../booking/booking-fixtures.js';

/**
 * The hub side of the bot's appointment port on the real PostgreSQL: services and slots from the
 * campaign's calendar in the citizen's words, bookings through bookAppointment with actor bot and
 * the conversation's channel, refusals turned into answers the engine can say, look-up and
 * cancellation that reveal nothing to a folio alone. Everything runs on the caller's transaction
 * (the bot turn's), so a booking commits — or rolls back — with the turn.
 */
describe('bot appointment port', () => {
  let hub: TestHub;
  let campaignId: string;
  let context: BotAppointmentContext;
  let contactId: string;

  beforeAll(async () => {
    hub = await createTestHub();
    const db = hub.ctx.db.kysely;
    campaignId = await clinicCampaign(db);
    const channel = await createApiChannel(db, campaignId, { callbackUrl: 'http://citizen.invalid/cb' });
    const contact = await db.insertInto('contacts').values({ display_name: 'Ciudadana' }).returning('id').executeTakeFirstOrThrow();
    contactId = contact.id;
    const conversation = await db
      .insertInto('conversations')
      .values({ folio: 'BOT-20261126-000001', campaign_id: campaignId, channel_id: channel.channel.id, contact_id: contact.id, status: 'bot' })
      .returning('id')
      .executeTakeFirstOrThrow();
    context = { campaignId, conversationId: conversation.id, channelKind: 'whatsapp_web', now: () => NOW };
  }, 60_000);

  afterAll(async () => {
    await hub?.cleanup();
  });

  class Rollback extends Error {}

  /** Runs `fn` with a port on one transaction, as the bot turn does; `rollback` ends it as a failed turn would. */
  async function onTurn<T>(fn: (port: AppointmentPort) => Promise<T>, options: { rollback?: boolean; now?: Date } = {}): Promise<T> {
    let result: T | undefined;
    const run = hub.ctx.db.kysely.transaction().execute(async (trx) => {
      const port = await botAppointmentPort(trx, { ...context, ...(options.now ? { now: () => options.now ?? NOW } : {}) });
      if (!port) throw new Error('expected a port');
      result = await fn(port);
      if (options.rollback) throw new Rollback();
    });
    await run.catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
    if (result === undefined) throw new Error('no result');
    return result;
  }

  const id = (value: string): AppointmentOfficialId => ({ kind: 'nss', value });
  const rowsOf = (official: string) =>
    hub.ctx.db.kysely
      .selectFrom('appointments')
      .select(['folio', 'status', 'channel', 'booked_by_kind', 'conversation_id', 'contact_id', 'room_id', 'starts_at'])
      .select((eb) => eb.cast<string>('birth_date', 'text').as('birth_date'))
      .where('official_id', '=', official)
      .execute();

  it('is null for a campaign without a calendar', async () => {
    const other = await createCampaign(hub.ctx.db.kysely);
    const port = await hub.ctx.db.kysely.transaction().execute((trx) => botAppointmentPort(trx, { ...context, campaignId: other.id }));
    expect(port).toBeNull();
  });

  it('lists the services and the nearest slots in the citizen’s language, in the calendar’s time zone', async () => {
    const { services, es, en } = await onTurn(async (port) => ({
      services: await port.services('es'),
      es: await port.nearestSlots({ serviceId: 'mf', limit: 3, language: 'es' }),
      en: await port.nearestSlots({ serviceId: 'mf', limit: 1, language: 'en' }),
    }));
    expect(services).toEqual([{ id: 'mf', name: 'Medicina familiar' }]);
    expect(es).toEqual([
      { id: `c1|${local('2026-11-27', '08:00')}`, label: 'viernes 27 de noviembre, 08:00 — Consultorio 1, UMF 20' },
      { id: `c2|${local('2026-11-27', '08:00')}`, label: 'viernes 27 de noviembre, 08:00 — Consultorio 2, UMF 20' },
      { id: `c1|${local('2026-11-27', '08:20')}`, label: 'viernes 27 de noviembre, 08:20 — Consultorio 1, UMF 20' },
    ]);
    expect(en).toEqual([{ id: `c1|${local('2026-11-27', '08:00')}`, label: 'Friday, November 27, 08:00 — Consultorio 1, UMF 20' }]);
  });

  it('books on the turn’s transaction: nothing is left when the turn rolls back; committed, it is the bot’s booking on the conversation’s channel', async () => {
    const slotId = `c1|${local('2026-11-30', '08:00')}`;
    const request: Parameters<AppointmentPort['book']>[0] = { serviceId: 'mf', slotId, officialId: id(nss(1)), birthDate: '1985-02-14', language: 'es' };
    const rolledBack = await onTurn((port) => port.book(request), { rollback: true });
    expect(rolledBack).toMatchObject({ ok: true });
    expect(await rowsOf(nss(1))).toEqual([]);

    const booked = await onTurn((port) => port.book(request));
    if (!booked.ok) throw new Error('expected a booking');
    expect(booked.folio).toMatch(/^CITA-20261130-\d{6}$/);
    expect(booked.label).toBe('lunes 30 de noviembre, 08:00 — Consultorio 1, UMF 20');
    expect(await rowsOf(nss(1))).toEqual([
      {
        folio: booked.folio,
        status: 'booked',
        channel: 'whatsapp',
        booked_by_kind: 'bot',
        conversation_id: context.conversationId,
        contact_id: contactId,
        room_id: 'c1',
        starts_at: new Date(local('2026-11-30', '08:00')),
        birth_date: '1985-02-14',
      },
    ]);
  });

  it('answers a taken slot with the next free ones (not the taken one), and a forged slot id like a taken one', async () => {
    const slotId = `c1|${local('2026-11-30', '08:00')}`;
    const taken = await onTurn((port) => port.book({ serviceId: 'mf', slotId, officialId: id(nss(2)), language: 'es' }));
    expect(taken).toMatchObject({ ok: false, reason: 'slot_taken' });
    if (taken.ok) return;
    expect(taken.message).toBe('Ese horario acaba de ocuparse; elija uno de los horarios libres ofrecidos');
    expect(taken.slots?.length).toBeGreaterThan(0);
    expect(taken.slots?.map((s) => s.id)).not.toContain(slotId);
    expect(taken.slots?.[0]?.label).toMatch(/^\p{L}+ \d{1,2} de \p{L}+, \d{2}:\d{2} — Consultorio [12], UMF 20$/u);

    const forged = await onTurn((port) => port.book({ serviceId: 'mf', slotId: 'c1|mañana', officialId: id(nss(2)), language: 'en' }));
    expect(forged).toEqual({ ok: false, reason: 'slot_taken', message: 'That time was just taken.' });
    expect(await rowsOf(nss(2))).toEqual([]);
  });

  it('says a rules refusal in the asked language (a holiday)', async () => {
    const christmas = `c1|${local('2026-12-25', '08:00')}`;
    const es = await onTurn((port) => port.book({ serviceId: 'mf', slotId: christmas, officialId: id(nss(3)), language: 'es' }));
    const en = await onTurn((port) => port.book({ serviceId: 'mf', slotId: christmas, officialId: id(nss(3)), language: 'en' }));
    expect(es).toEqual({ ok: false, reason: 'rules', message: expect.stringContaining('Ese día es inhábil; no hay citas') });
    expect(en).toEqual({ ok: false, reason: 'rules', message: expect.stringContaining('That day is a holiday; no appointments') });
    expect(await rowsOf(nss(3))).toEqual([]);
  });

  it('looks up and cancels only with the NSS it was booked with; too late to cancel is said, not done', async () => {
    const booked = await onTurn((port) => port.book({ serviceId: 'mf', slotId: `c2|${local('2026-12-01', '08:20')}`, officialId: id(nss(4)), language: 'es' }));
    if (!booked.ok) throw new Error('expected a booking');
    const lookups = await onTurn(async (port) => ({
      stranger: await port.lookUp({ folio: booked.folio, officialId: id(nss(5)), language: 'es' }),
      owner: await port.lookUp({ folio: booked.folio.toLowerCase(), officialId: id(nss(4)), language: 'es' }),
      unknown: await port.lookUp({ folio: 'CITA-20261201-999999', officialId: id(nss(4)), language: 'es' }),
    }));
    expect(lookups).toEqual({ stranger: null, owner: { folio: booked.folio, label: 'martes 1 de diciembre, 08:20 — Consultorio 2, UMF 20', status: 'agendada' }, unknown: null });

    const stranger = await onTurn((port) => port.cancel({ folio: booked.folio, officialId: id(nss(5)), language: 'es' }));
    expect(stranger).toEqual({ ok: false, reason: 'not_found', message: 'No encontramos una cita con ese folio y esa identificación' });
    const late = await onTurn((port) => port.cancel({ folio: booked.folio, officialId: id(nss(4)), language: 'es' }), { now: new Date(Date.parse(local('2026-12-01', '08:20')) - 3_600_000) });
    expect(late).toMatchObject({ ok: false, reason: 'refused' });
    expect((await rowsOf(nss(4)))[0]?.status).toBe('booked');

    const cancelled = await onTurn((port) => port.cancel({ folio: booked.folio, officialId: id(nss(4)), language: 'es' }));
    expect(cancelled).toEqual({ ok: true, folio: booked.folio, label: 'martes 1 de diciembre, 08:20 — Consultorio 2, UMF 20' });
    expect((await rowsOf(nss(4)))[0]?.status).toBe('cancelled');
    const events = await hub.ctx.db.kysely
      .selectFrom('appointment_events as e')
      .innerJoin('appointments as a', 'a.id', 'e.appointment_id')
      .select(['e.kind', 'e.actor_kind', 'e.channel'])
      .where('a.folio', '=', booked.folio)
      .orderBy('e.id')
      .execute();
    expect(events).toEqual([
      { kind: 'appointment.booked', actor_kind: 'bot', channel: 'whatsapp' },
      { kind: 'appointment.cancelled', actor_kind: 'bot', channel: 'whatsapp' },
    ]);
  });

});
