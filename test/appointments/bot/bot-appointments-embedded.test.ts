import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '@ventanilla/hub';
import { botAppointmentPort, type BotAppointmentContext } from '../../../hub/src/appointments/bot/bot-appointments.port.js';
import { saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { createApiChannel, createCampaign } from '../../support/factories.js';
import { NOW, clinicCalendar, local, nss } from '../booking/booking-fixtures.js';

/**
 * `npm run demo` runs on the embedded PGlite, ONE connection: the bot books while its turn's
 * transaction is open. The port runs bookAppointment and cancelAppointment on that transaction
 * (their own transactions become savepoints), so nothing waits for a second connection, and a
 * refusal (rolled back to its savepoint) leaves the turn's transaction usable.
 */
describe('bot appointment port on the embedded database (PGlite)', () => {
  let dataDir: string;
  let db: Db;
  let context: BotAppointmentContext;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ventanilla-bot-citas-'));
    db = await openDatabase({ DATABASE_URL: undefined, DATABASE_SCHEMA: 'public', DATABASE_POOL_SIZE: 1, DATA_DIR: dataDir });
    await migrate(db);
    const campaign = await createCampaign(db.kysely, { prefix: 'CIE' });
    await saveCalendar(db.kysely, { campaignId: campaign.id, definition: clinicCalendar() }, null);
    const channel = await createApiChannel(db.kysely, campaign.id, { callbackUrl: 'http://citizen.invalid/cb' });
    const contact = await db.kysely.insertInto('contacts').values({ display_name: 'Ciudadano' }).returning('id').executeTakeFirstOrThrow();
    const conversation = await db.kysely
      .insertInto('conversations')
      .values({ folio: 'CIE-20261126-000001', campaign_id: campaign.id, channel_id: channel.channel.id, contact_id: contact.id, status: 'bot' })
      .returning('id')
      .executeTakeFirstOrThrow();
    context = { campaignId: campaign.id, conversationId: conversation.id, channelKind: 'sms', now: () => NOW };
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('books, is refused a taken slot with the next ones, and cancels — all inside one open transaction', async () => {
    const slotId = `c1|${local('2026-11-30', '08:00')}`;
    const outcome = await db.kysely.transaction().execute(async (trx) => {
      const port = await botAppointmentPort(trx, context);
      if (!port) throw new Error('expected a port');
      const booked = await port.book({ serviceId: 'mf', slotId, officialId: { kind: 'nss', value: nss(1) }, birthDate: '1985-02-14', language: 'es' });
      const taken = await port.book({ serviceId: 'mf', slotId, officialId: { kind: 'nss', value: nss(2) }, language: 'es' });
      // The turn's transaction is still usable after the refusal: the turn goes on writing.
      const stillThere = await trx.selectFrom('appointments').select('folio').where('official_id', '=', nss(1)).execute();
      const second = await port.book({ serviceId: 'mf', slotId: `c2|${local('2026-11-30', '08:00')}`, officialId: { kind: 'nss', value: nss(3) }, language: 'es' });
      const cancelled = second.ok ? await port.cancel({ folio: second.folio, officialId: { kind: 'nss', value: nss(3) }, language: 'es' }) : null;
      return { booked, taken, stillThere, cancelled };
    });
    if (!outcome.booked.ok) throw new Error('expected a booking');
    expect(outcome.booked.label).toBe('lunes 30 de noviembre, 08:00 — Consultorio 1, UMF 20');
    expect(outcome.taken).toMatchObject({ ok: false, reason: 'slot_taken' });
    expect(outcome.taken.ok === false && outcome.taken.slots?.map((s) => s.id)).not.toContain(slotId);
    expect(outcome.stillThere).toEqual([{ folio: outcome.booked.folio }]);
    expect(outcome.cancelled).toMatchObject({ ok: true });
    const rows = await db.kysely.selectFrom('appointments').select(['official_id', 'status', 'channel', 'booked_by_kind']).orderBy('official_id').execute();
    expect(rows).toEqual([
      { official_id: nss(1), status: 'booked', channel: 'sms', booked_by_kind: 'bot' },
      { official_id: nss(3), status: 'cancelled', channel: 'sms', booked_by_kind: 'bot' },
    ]);
  });
});
