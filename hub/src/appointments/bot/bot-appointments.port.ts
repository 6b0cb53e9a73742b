/**
 * The bot's appointment port (issue 11: booking by WhatsApp, web chat, SMS, API): the campaign's
 * services, its nearest free slots, booking with NSS or CURP + birth date, look-up and
 * cancellation by folio — every booking through `bookAppointment` (locks, rules, folio, history),
 * every cancellation through `cancelAppointment`, with actor `bot`.
 *
 * The engine calls it while the turn's transaction is open (the session row lock): everything runs
 * on that transaction, and the use cases' own transactions become savepoints of it
 * (`nested-transaction.ts`), so the booking commits with the reply that gives its folio.
 */
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { AppointmentBookResult, AppointmentCancelResult, AppointmentOfficialId, AppointmentPort, AppointmentSlotOption, Language } from '@ventanilla/bots';
import type { ChannelKind } from '@ventanilla/connectors/core';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { bookAppointment } from '../booking/book-appointment.usecase.js';
import type { APPOINTMENT_CHANNELS } from '../booking/booking.schema.js';
import { loadCalendar, type LoadedCalendar } from '../booking/calendar.store.js';
import { cancelAppointment } from '../booking/cancel-appointment.usecase.js';
import { nearestSlots } from '../booking/nearest-slots.query.js';
import { nestedTransaction } from './nested-transaction.js';
import { slotLabel } from './slot-label.js';

type AppointmentChannel = (typeof APPOINTMENT_CHANNELS)[number];

/** The conversation's channel as the appointment records it (reminders go back on it). */
const APPOINTMENT_CHANNEL_OF: Record<ChannelKind, AppointmentChannel> = {
  whatsapp: 'whatsapp',
  whatsapp_web: 'whatsapp',
  webchat: 'webchat',
  sms: 'sms',
  api: 'api',
  email: 'email',
  voice: 'voice',
  // Messenger/Instagram and X have no appointment channel of their own: the generic digital one.
  meta: 'api',
  x: 'api',
};

export interface BotAppointmentContext {
  readonly campaignId: string;
  readonly conversationId: string;
  readonly channelKind: ChannelKind;
  /** Default the clock; tests pass a fixed instant. */
  readonly now?: () => Date;
}

/** The slot id the engine carries: the room and the start, opaque to it. */
const slotIdSchema = z.string().transform((id, ctx) => {
  const [roomId, startsAt, ...rest] = id.split('|');
  const start = z.iso.datetime({ offset: true }).safeParse(startsAt);
  if (roomId === undefined || roomId === '' || !start.success || rest.length > 0) {
    ctx.addIssue({ code: 'custom', message: 'not a slot id' });
    return z.NEVER;
  }
  return { roomId, startsAt: start.data };
});

const freeSlotsSchema = z.object({ freeSlots: z.array(z.object({ roomId: z.string(), startsAt: z.string() })).default([]) });
const problemsSchema = z.object({ problems: z.array(z.object({ es: z.string(), en: z.string() })).default([]) });

const STATUS_WORDS: Record<string, Record<Language, string>> = {
  booked: { es: 'agendada', en: 'booked' },
  confirmed: { es: 'confirmada', en: 'confirmed' },
  cancelled: { es: 'cancelada', en: 'cancelled' },
  attended: { es: 'atendida', en: 'attended' },
  no_show: { es: 'no asistió', en: 'missed' },
};

const TAKEN_TEXT: Record<Language, string> = { es: 'Ese horario se acaba de ocupar.', en: 'That time was just taken.' };

const CANCEL_REASON = 'Cancelada por el ciudadano en el asistente virtual / cancelled by the citizen through the virtual assistant';

function slotId(slot: { roomId: string; startsAt: string }): string {
  return `${slot.roomId}|${new Date(slot.startsAt).toISOString()}`;
}

function problemsText(details: unknown, language: Language, fallback: string): string {
  const parsed = problemsSchema.safeParse(details);
  const texts = parsed.success ? parsed.data.problems.map((p) => (language === 'en' ? p.en : p.es)) : [];
  return texts.length > 0 ? texts.join(' ') : fallback;
}

function inLanguage(bilingualMessage: string, language: Language): string {
  const [es, en] = bilingualMessage.split(' / ');
  return (language === 'en' ? en : es) ?? bilingualMessage;
}

/** The port for one turn; null when the campaign has no calendar (the steps hand off to a person). */
export async function botAppointmentPort(trx: Transaction<Database>, context: BotAppointmentContext): Promise<AppointmentPort | null> {
  let loaded: LoadedCalendar | undefined;
  try {
    loaded = await loadCalendar(trx, context.campaignId);
  } catch (error) {
    // A stored calendar this version cannot read: the bot goes on answering everything else.
    if (error instanceof z.ZodError) return null;
    throw error;
  }
  if (!loaded) return null;
  const { calendar } = loaded;
  const db = nestedTransaction(trx);
  const now = () => context.now?.() ?? new Date();
  const channel = APPOINTMENT_CHANNEL_OF[context.channelKind];
  const options = (slots: readonly { roomId: string; startsAt: string }[], language: Language): AppointmentSlotOption[] =>
    slots.map((s) => ({ id: slotId(s), label: slotLabel(calendar, s, language) }));

  async function findAppointment(folio: string, officialId: AppointmentOfficialId) {
    const row = await trx
      .selectFrom('appointments')
      .select(['folio', 'status', 'room_id', 'starts_at', 'official_id'])
      .where('campaign_id', '=', context.campaignId)
      .where('folio', '=', folio.trim().toUpperCase())
      .executeTakeFirst();
    // A folio alone reveals nothing: another id reads as not found.
    return row && row.official_id === officialId.value.trim().toUpperCase() ? row : null;
  }

  return {
    async services() {
      return calendar.services.map((s) => ({ id: s.id, name: s.name }));
    },

    async nearestSlots(query) {
      const from = query.from === undefined ? undefined : new Date(query.from);
      const slots = await nearestSlots(trx, context.campaignId, { serviceId: query.serviceId, limit: query.limit, now: now(), ...(from && !Number.isNaN(from.getTime()) ? { from } : {}) });
      return options(slots, query.language);
    },

    async book(request): Promise<AppointmentBookResult> {
      const slot = slotIdSchema.safeParse(request.slotId);
      // Not a slot this port offered (a stale or forged id): like a taken one, the citizen gets fresh slots.
      if (!slot.success) return { ok: false, reason: 'slot_taken', message: TAKEN_TEXT[request.language] };
      const conversation = await trx.selectFrom('conversations').select('contact_id').where('id', '=', context.conversationId).executeTakeFirst();
      try {
        const booked = await bookAppointment(
          db,
          {
            campaignId: context.campaignId,
            serviceId: request.serviceId,
            roomId: slot.data.roomId,
            startsAt: slot.data.startsAt,
            officialId: request.officialId,
            familyGroupId: request.officialId.value,
            ...(request.birthDate === undefined ? {} : { birthDate: request.birthDate }),
            ...(conversation ? { contactId: conversation.contact_id } : {}),
            conversationId: context.conversationId,
            channel,
          },
          { kind: 'bot' },
          { now: now() },
        );
        return { ok: true, folio: booked.folio, label: slotLabel(calendar, booked, request.language) };
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        if (error.code === 'HUB_ERR_APPOINTMENT_SLOT_TAKEN' || error.code === 'HUB_ERR_APPOINTMENT_SHIFT_FULL') {
          const free = freeSlotsSchema.safeParse(error.details);
          return {
            ok: false,
            reason: 'slot_taken',
            message: inLanguage(error.message, request.language),
            slots: options(free.success ? free.data.freeSlots : [], request.language),
          };
        }
        if (error.code === 'HUB_ERR_APPOINTMENT_RULES') {
          return { ok: false, reason: 'rules', message: problemsText(error.details, request.language, inLanguage(error.message, request.language)) };
        }
        throw error;
      }
    },

    async lookUp(query) {
      const row = await findAppointment(query.folio, query.officialId);
      if (!row) return null;
      return {
        folio: row.folio,
        label: slotLabel(calendar, { roomId: row.room_id, startsAt: row.starts_at.toISOString() }, query.language),
        status: STATUS_WORDS[row.status]?.[query.language] ?? row.status,
      };
    },

    async cancel(request): Promise<AppointmentCancelResult> {
      const row = await findAppointment(request.folio, request.officialId);
      const notFound: AppointmentCancelResult = { ok: false, reason: 'not_found', message: inLanguage(new HubError('HUB_ERR_APPOINTMENT_NOT_FOUND').message, request.language) };
      if (!row) return notFound;
      try {
        const cancelled = await cancelAppointment(
          db,
          { campaignId: context.campaignId, folio: row.folio, officialId: request.officialId.value, reason: CANCEL_REASON, channel },
          { kind: 'bot' },
          { now: now() },
        );
        return { ok: true, folio: cancelled.folio, label: slotLabel(calendar, { roomId: row.room_id, startsAt: row.starts_at.toISOString() }, request.language) };
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        if (error.code === 'HUB_ERR_APPOINTMENT_NOT_FOUND' || error.code === 'HUB_ERR_VALIDATION') return notFound;
        if (error.code === 'HUB_ERR_APPOINTMENT_CANCEL_REFUSED') {
          return { ok: false, reason: 'refused', message: problemsText(error.details, request.language, inLanguage(error.message, request.language)) };
        }
        throw error;
      }
    },
  };
}
