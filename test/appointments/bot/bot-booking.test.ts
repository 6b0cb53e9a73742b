import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCalendar } from '../../../hub/src/appointments/booking/calendar.store.js';
import { nssCheckDigit } from '../../../hub/src/contacts/official-ids.js';
import { startBotHarness, type BotHarness } from '../../bots/bot-harness.js';
import { bookingBotModel, everydayClinic } from './booking-bot-model.js';

/**
 * Issue 11, booking by the bot: citizens on an API channel (real hub process, PostgreSQL, Redis)
 * book with NSS + birth date, pick one of the nearest slots, confirm and get a CITA folio; a second
 * citizen who picked the same slot is told it was just taken and offered the next ones; a folio
 * is cancelled through the bot with the same NSS.
 */
describe('booking an appointment through the bot (API channel)', () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startBotHarness(bookingBotModel());
    const clinic = everydayClinic();
    await saveCalendar(h.db, { campaignId: h.campaignId, definition: clinic.definition, rules: clinic.rules }, null);
  }, 60_000);

  afterAll(async () => {
    await h?.cleanup();
  });

  const nss = (first10: string) => first10 + nssCheckDigit(first10);
  let sequence = 0;

  /** The citizen writes; resolves with the bot's answer to that message. */
  async function ask(phone: string, text: string, conversationId?: string): Promise<{ conversationId: string; reply: string }> {
    const id = `cita-${phone}-${++sequence}`;
    const before = conversationId ? h.botTexts(conversationId).length : 0;
    await h.says(phone, id, text);
    const conversation = conversationId ?? (await h.conversationOf(id)).id;
    const texts = await h.waitForBotTexts(conversation, before + 1);
    return { conversationId: conversation, reply: texts.at(-1) ?? '' };
  }

  /** Plays the booking up to the offered slots; resolves with the conversation and the offered lines. */
  async function reachSlots(phone: string, officialId: string): Promise<{ conversationId: string; offered: string[] }> {
    const start = await ask(phone, 'quiero agendar una cita');
    expect(start.reply).toBe('¿Cuál es su NSS (11 dígitos)?');
    expect((await ask(phone, officialId, start.conversationId)).reply).toBe('¿Cuál es su fecha de nacimiento?');
    const slots = await ask(phone, '14/02/1985', start.conversationId);
    // One service in the calendar: asked for nothing, the nearest slots come at once, numbered (the API channel has no buttons).
    const [title, list] = slots.reply.split('\n\n');
    expect(title).toBe('Estos son los horarios más cercanos:');
    const offered = (list ?? '').split('\n');
    expect(offered).toHaveLength(3);
    for (const [i, line] of offered.entries()) expect(line).toMatch(new RegExp(`^${i + 1}\\. \\p{L}+ \\d{1,2} de \\p{L}+, \\d{2}:\\d{2} — Consultorio [12], UMF 20$`, 'u'));
    return { conversationId: start.conversationId, offered };
  }

  const appointmentsOf = (officialId: string) =>
    h.db
      .selectFrom('appointments')
      .select(['id', 'folio', 'status', 'channel', 'booked_by_kind', 'conversation_id', 'contact_id', 'official_id', 'official_id_kind', 'room_id', 'starts_at'])
      .select((eb) => eb.cast<string>('birth_date', 'text').as('birth_date'))
      .where('campaign_id', '=', h.campaignId)
      .where('official_id', '=', officialId)
      .execute();

  let firstFolio = '';
  const first = nss('1234567890');

  it('books with NSS and birth date: the first slot offered, confirmed → a CITA folio, stored as booked by the bot on the API channel', async () => {
    const { conversationId, offered } = await reachSlots('5520000001', first);
    const slot = (offered[0] ?? '').replace(/^1\. /, '');
    const confirm = await ask('5520000001', '1', conversationId);
    expect(confirm.reply).toBe(`¿Confirmo su cita de Medicina familiar el ${slot}?\n\n1. Sí, confirmar\n2. Otro horario`);
    const booked = await ask('5520000001', '1', conversationId);
    const folio = /Su folio es (CITA-\d{8}-\d{6})\.$/.exec(booked.reply)?.[1];
    expect(booked.reply).toBe(`Listo: su cita es el ${slot}. Su folio es ${folio}.`);
    if (folio === undefined) throw new Error('no folio in the reply');
    firstFolio = folio;

    const conversation = await h.db.selectFrom('conversations').select(['id', 'contact_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    const rows = await appointmentsOf(first);
    expect(rows).toEqual([
      expect.objectContaining({
        folio,
        status: 'booked',
        channel: 'api',
        booked_by_kind: 'bot',
        conversation_id: conversationId,
        contact_id: conversation.contact_id,
        official_id_kind: 'nss',
        birth_date: '1985-02-14',
      }),
    ]);
    const events = await h.db.selectFrom('appointment_events').select(['kind', 'actor_kind', 'channel']).where('appointment_id', '=', rows[0]?.id ?? '').execute();
    expect(events).toEqual([{ kind: 'appointment.booked', actor_kind: 'bot', channel: 'api' }]);
  });

  it('tells a second citizen who picked the same slot that it was just taken, offers the next ones, and books one of them', async () => {
    const second = nss('2234567890');
    const third = nss('3234567890');
    // Both are offered the same nearest slot; the second confirms first and wins it.
    const b = await reachSlots('5520000002', second);
    const c = await reachSlots('5520000003', third);
    expect(c.offered[0]).toBe(b.offered[0]);
    await ask('5520000002', '1', b.conversationId);
    const won = await ask('5520000002', '1', b.conversationId);
    expect(won.reply).toMatch(/Su folio es CITA-\d{8}-\d{6}\.$/);

    await ask('5520000003', '1', c.conversationId);
    const taken = await ask('5520000003', '1', c.conversationId);
    const [title, list] = taken.reply.split('\n\n');
    expect(title).toBe('Ese horario se acaba de ocupar. Estos son los siguientes horarios libres:');
    const reoffered = (list ?? '').split('\n').map((l) => l.replace(/^\d+\. /, ''));
    expect(reoffered.length).toBeGreaterThan(0);
    const lost = (c.offered[0] ?? '').replace(/^1\. /, '');
    expect(reoffered).not.toContain(lost);
    expect(await appointmentsOf(third)).toEqual([]);

    const confirm = await ask('5520000003', '1', c.conversationId);
    expect(confirm.reply).toContain(`el ${reoffered[0]}?`);
    const booked = await ask('5520000003', '1', c.conversationId);
    expect(booked.reply).toMatch(new RegExp(`^Listo: su cita es el ${reoffered[0]}\\. Su folio es CITA-\\d{8}-\\d{6}\\.$`));
    const [winner] = await appointmentsOf(second);
    const [late] = await appointmentsOf(third);
    expect(late?.status).toBe('booked');
    expect(`${late?.room_id}|${late?.starts_at.toISOString()}`).not.toBe(`${winner?.room_id}|${winner?.starts_at.toISOString()}`);
  });

  it('two citizens confirming the same slot at the same moment: exactly one gets it, the other is offered the next slots', async () => {
    const fourth = nss('5234567890');
    const fifth = nss('6234567890');
    const d = await reachSlots('5520000005', fourth);
    const e = await reachSlots('5520000006', fifth);
    expect(e.offered[0]).toBe(d.offered[0]);
    await ask('5520000005', '1', d.conversationId);
    await ask('5520000006', '1', e.conversationId);
    const replies = (await Promise.all([ask('5520000005', '1', d.conversationId), ask('5520000006', '1', e.conversationId)])).map((r) => r.reply);
    expect(replies.filter((r) => /Su folio es CITA-\d{8}-\d{6}\.$/.test(r))).toHaveLength(1);
    expect(replies.filter((r) => r.startsWith('Ese horario se acaba de ocupar.'))).toHaveLength(1);
    const rows = [...(await appointmentsOf(fourth)), ...(await appointmentsOf(fifth))];
    expect(rows).toHaveLength(1);
  });

  it('cancels by folio through the bot with the NSS it was booked with; another NSS reads as not found', async () => {
    const stranger = nss('4234567890');
    const start = await ask('5520000004', 'quiero cancelar mi cita');
    expect(start.reply).toBe('¿Cuál es el folio de su cita?');
    await ask('5520000004', firstFolio, start.conversationId);
    const refused = await ask('5520000004', stranger, start.conversationId);
    expect(refused.reply).toBe(`No encontré la cita ${firstFolio} con ese NSS.`);
    expect((await appointmentsOf(first))[0]?.status).toBe('booked');

    // The citizen who booked it, in the same conversation where the NSS is already known.
    const [row] = await appointmentsOf(first);
    const conversationId = row?.conversation_id ?? '';
    const asked = await ask('5520000001', 'quiero cancelar mi cita', conversationId);
    expect(asked.reply).toBe('¿Cuál es el folio de su cita?');
    const found = await ask('5520000001', `es el ${firstFolio.toLowerCase()}`, conversationId);
    // The hub sends the bot's texts of one turn as one message where the channel's length allows.
    expect(found.reply).toMatch(new RegExp(`^Su cita ${firstFolio} es el .+ — Consultorio [12], UMF 20 \\(agendada\\)\\.\n\n¿La cancelo\\?\n\n1\\. Sí, cancelar\n2\\. No$`));
    const cancelled = await ask('5520000001', '1', conversationId);
    expect(cancelled.reply).toMatch(new RegExp(`^Cancelé su cita ${firstFolio} del .+\\.$`));
    const [after] = await appointmentsOf(first);
    expect(after?.status).toBe('cancelled');
    const events = await h.db.selectFrom('appointment_events').select(['kind', 'actor_kind', 'channel']).where('appointment_id', '=', after?.id ?? '').orderBy('id').execute();
    expect(events).toEqual([
      { kind: 'appointment.booked', actor_kind: 'bot', channel: 'api' },
      { kind: 'appointment.cancelled', actor_kind: 'bot', channel: 'api' },
    ]);
  });
});
