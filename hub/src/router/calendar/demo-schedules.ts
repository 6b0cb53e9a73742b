import { type CampaignHolidayCalendar } from './holidays.js';
import { type OpeningInterval, type WeeklySchedule } from './weekly-schedule.schema.js';

/**
 * The service windows of the IMSS contract seed (S003, AT §12 L3092–L3167 and the campaign
 * appendices), as data for the demo and as fixtures. Times are "hora del centro" (L3108), i.e.
 * America/Mexico_City. Where the seed says "de acuerdo a la solicitud o necesidad de cada campaña"
 * (L3101) we start closed: the campaign administrator opens it when requested.
 */

const TIME_ZONE = 'America/Mexico_City';

// Functions, not shared constants, so no two schedules alias one array.
const closed = (): OpeningInterval[] => [];
const allDay = (): OpeningInterval[] => [{ open: '00:00', close: '24:00' }];
const h = (open: string, close: string): OpeningInterval[] => [{ open, close }];

function weekdays(window: () => OpeningInterval[], sat: OpeningInterval[], sun: OpeningInterval[]): WeeklySchedule['days'] {
  return { mon: window(), tue: window(), wed: window(), thu: window(), fri: window(), sat, sun };
}

/** 24 h × 7 × 365: holidays open all day too. */
const around247 = (): WeeklySchedule => ({
  timeZone: TIME_ZONE,
  days: weekdays(allDay, allDay(), allDay()),
  holidays: allDay(),
});

export const demoSchedules = {
  /** DyC telephony: Mon–Fri 08–20, Sat 08–14, Sun/holidays on request (L3101, L6662). */
  dycTelephony: { timeZone: TIME_ZONE, days: weekdays(() => h('08:00', '20:00'), h('08:00', '14:00'), closed()), holidays: 'closed' },
  /** DyC chat and email: Mon–Fri 08–20, weekends on request (L3102–L3103, L6663–L6664). */
  dycChatEmail: { timeZone: TIME_ZONE, days: weekdays(() => h('08:00', '20:00'), closed(), closed()), holidays: 'closed' },
  /** DyC email web form: "activa las 24 horas de lunes a domingo" (L6840). */
  dycEmailWebForm: around247(),
  /** Social networks (Derechohabiente): "24 horas, los 365 días del año" (L6665, L7049). */
  socialNetworks: around247(),
  /** Código Infarto CMN Siglo XXI and CMN La Raza: "24 horas x 7 días los 365 días del año" (L3118, L5039, L9584). */
  codigoInfarto: around247(),
  /**
   * Mesa de Servicios Tecnológicos (L3122–L3127, L6380–L6385): Mon 07–24, Tue–Fri 00–24,
   * Sat 00–22, Sun 07–22; a holiday runs 07–22, or 00–22 when the previous day was a working day
   * whose night shift runs to 24:00; consecutive holidays 07–22 each.
   */
  mst: {
    timeZone: TIME_ZONE,
    days: {
      mon: h('07:00', '24:00'),
      tue: allDay(),
      wed: allDay(),
      thu: allDay(),
      fri: allDay(),
      sat: h('00:00', '22:00'),
      sun: h('07:00', '22:00'),
    },
    holidays: h('07:00', '22:00'),
    holidaysAfterOvernightShift: h('00:00', '22:00'),
  },
  /** Banco de Sangre: Mon–Fri 08–20; Sat, Sun and holidays 08–14 (L6671). */
  bancoDeSangre: { timeZone: TIME_ZONE, days: weekdays(() => h('08:00', '20:00'), h('08:00', '14:00'), h('08:00', '14:00')), holidays: h('08:00', '14:00') },
  /** Cita Médica Telefónica, Confirmación 2º nivel, OMT: Mon–Fri 08–20; weekends and holidays 08–14 (L3108–L3109, L5602–L5604, L5824–L5826). */
  citaMedica: { timeZone: TIME_ZONE, days: weekdays(() => h('08:00', '20:00'), h('08:00', '14:00'), h('08:00', '14:00')), holidays: h('08:00', '14:00') },
  /** MPEC outbound: Mon–Fri 08–20, Sat 10–16 per its appendix (L9355, L9449–L9450; the AT's 08–16 at L3114 is older). */
  mpec: { timeZone: TIME_ZONE, days: weekdays(() => h('08:00', '20:00'), h('10:00', '16:00'), closed()), holidays: 'closed' },
  /** Cobranza DIR, Denuncias Patronales, SIDEIMSS, SIROC: Mon–Fri 09–18 (L3133–L3134, L8028). */
  cobranzaDir: { timeZone: TIME_ZONE, days: weekdays(() => h('09:00', '18:00'), closed(), closed()), holidays: 'closed' },
  /** OIC: Mon–Fri 09–18 on business days; otherwise voicemail, which is the router's after-hours action (L3143–L3144, L4716). */
  oic: { timeZone: TIME_ZONE, days: weekdays(() => h('09:00', '18:00'), closed(), closed()), holidays: 'closed' },
  /** Bienestar Social: Mon–Sun 08–20, IVR outside the window (L5198–L5199); holidays only on request (L3165). */
  bienestarSocial: { timeZone: TIME_ZONE, days: weekdays(() => h('08:00', '20:00'), h('08:00', '20:00'), h('08:00', '20:00')), holidays: 'closed' },
  /** Centros Vacacionales: PS-I 09–20 Mon–Fri, 08–14 weekends and holidays (L3149–L3165, L4462–L4464). */
  centrosVacacionales: { timeZone: TIME_ZONE, days: weekdays(() => h('09:00', '20:00'), h('08:00', '14:00'), h('08:00', '14:00')), holidays: h('08:00', '14:00') },
} satisfies Record<string, WeeklySchedule>;

export const demoHolidayCalendars = {
  /** Art. 74 as the default for every campaign (issue 3 item 1). */
  lft74: { base: 'lft74', extra: [], removed: [] },
  /** Código Infarto and social networks run 365 days: holidays are not special. */
  none: { base: 'none', extra: [], removed: [] },
  /** Centros Vacacionales: art. 74 plus 10 May and 15 September every year (L4473). */
  centrosVacacionales: {
    base: 'lft74',
    extra: [],
    removed: [],
    annual: [
      { monthDay: '05-10', name: '10 de mayo (Día de las Madres)' },
      { monthDay: '09-15', name: '15 de septiembre' },
    ],
  },
} satisfies Record<string, CampaignHolidayCalendar>;
