/**
 * Opens a citizen's case (trámite) for an active procedure: the portal does (seed-digest §9.1:
 * "inicia el trámite desde cualquier lugar"), and so may a bot or an agent on a conversation, so
 * the reviewer's decisions go back on that channel. The folio TRAM-YYYYMMDD-NNNNNN uses the local
 * date of the campaign's calendar.
 */
import { sql, type Kysely } from 'kysely';
import type { AppointmentCaseRow } from '../../db/schema-appointment-procedures.js';
import type { AppointmentChannel } from '../../db/schema-appointments.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { isoDateOf } from '../../router/calendar/local-time.js';
import { formatProblems, parseWith } from '../../router/config/routing-problem.js';
import { loadCalendar } from '../booking/calendar.store.js';
import { DEFAULT_APPOINTMENT_TIME_ZONE } from '../rules/appointment-rules.types.js';
import { positionOf } from '../rules/calendar-grid.js';
import { refreshCaseStatus } from './case-state.js';
import { caseInputSchema } from './procedure.schema.js';
import { loadProcedure } from './procedure.store.js';

export type CaseOrigin = { readonly channel: 'portal' } | { readonly channel: Exclude<AppointmentChannel, 'portal'>; readonly conversationId: string };

export async function openCase(db: Kysely<Database>, rawInput: unknown, origin: CaseOrigin, options: { readonly now?: Date } = {}): Promise<AppointmentCaseRow> {
  const parsed = parseWith(caseInputSchema, rawInput);
  if (!parsed.ok) throw new HubError('HUB_ERR_VALIDATION', formatProblems(parsed.problems), { problems: parsed.problems });
  const input = parsed.value;
  const procedure = await loadProcedure(db, input.procedureId);
  if (!procedure || !procedure.active) throw new HubError('HUB_ERR_APPOINTMENT_PROCEDURE_NOT_FOUND');
  const conversationId = origin.channel === 'portal' ? null : origin.conversationId;
  if (conversationId !== null) {
    const conversation = await db.selectFrom('conversations').select('id').where('id', '=', conversationId).where('campaign_id', '=', procedure.campaignId).executeTakeFirst();
    if (!conversation) throw new HubError('HUB_ERR_CONVERSATION_NOT_FOUND');
  }
  const timeZone = (await loadCalendar(db, procedure.campaignId))?.calendar.timeZone ?? DEFAULT_APPOINTMENT_TIME_ZONE;
  const folioDate = isoDateOf(positionOf(timeZone, (options.now ?? new Date()).getTime()).localDay).replaceAll('-', '');

  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('appointment_cases')
      .values({
        folio: sql<string>`'TRAM-' || ${folioDate} || '-' || lpad((nextval('appointment_case_folio_seq') % 1000000)::text, 6, '0')`,
        campaign_id: procedure.campaignId,
        procedure_id: procedure.id,
        full_name: input.fullName,
        official_id_kind: input.officialId.kind,
        official_id: input.officialId.value,
        birth_date: input.birthDate,
        email: input.email ?? null,
        phone: input.phone ?? null,
        channel: origin.channel,
        conversation_id: conversationId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // A procedure without required documents is approved from the start.
    const status = await refreshCaseStatus(trx, row, procedure.requirements);
    return { ...row, status };
  });
}
