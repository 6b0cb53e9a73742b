/**
 * Procedures (trámites) of a campaign: the calendar service they book and the documents a
 * reviewer must approve first (seed-digest §9.1: "requisitos específicos por trámite").
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../../audit/audit.js';
import type { AppointmentProcedureRow } from '../../db/schema-appointment-procedures.js';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { bilingual, formatProblems, parseWith } from '../../router/config/routing-problem.js';
import { loadCalendar } from '../booking/calendar.store.js';
import { procedureInputSchema, requirementsSchema, type ProcedureView, type Requirement } from './procedure.schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface Procedure {
  readonly id: string;
  readonly campaignId: string;
  readonly name: string;
  readonly description: string;
  readonly serviceId: string;
  readonly active: boolean;
  readonly reviewerSkill: string;
  readonly requirements: readonly Requirement[];
  readonly updatedAt: Date;
}

export function toProcedure(row: AppointmentProcedureRow): Procedure {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    name: row.name,
    description: row.description,
    serviceId: row.service_id,
    active: row.active,
    reviewerSkill: row.reviewer_skill,
    // Stored rows were validated on save; parsing again keeps the types honest (no casts).
    requirements: requirementsSchema.parse(row.requirements),
    updatedAt: row.updated_at,
  };
}

export function toProcedureView(procedure: Procedure): ProcedureView {
  return {
    id: procedure.id,
    campaignId: procedure.campaignId,
    name: procedure.name,
    description: procedure.description,
    serviceId: procedure.serviceId,
    active: procedure.active,
    reviewerSkill: procedure.reviewerSkill,
    requirements: procedure.requirements.map((r) => ({ ...r, accept: [...r.accept] })),
    updatedAt: procedure.updatedAt.toISOString(),
  };
}

export async function loadProcedure(db: Executor, procedureId: string): Promise<Procedure | undefined> {
  const row = await db.selectFrom('appointment_procedures').selectAll().where('id', '=', procedureId).executeTakeFirst();
  return row ? toProcedure(row) : undefined;
}

export async function listProcedures(db: Executor, campaignId: string): Promise<Procedure[]> {
  const rows = await db.selectFrom('appointment_procedures').selectAll().where('campaign_id', '=', campaignId).orderBy('name').orderBy('id').execute();
  return rows.map(toProcedure);
}

/** Creates or replaces a procedure; refuses an unknown calendar service with the problem named. */
export async function saveProcedure(
  db: Kysely<Database>,
  campaignId: string,
  procedureId: string,
  rawInput: unknown,
  actor: { readonly userId: string; readonly ip?: string | null; readonly userAgent?: string | null },
): Promise<Procedure> {
  const parsed = parseWith(procedureInputSchema, rawInput);
  if (!parsed.ok) throw new HubError('HUB_ERR_APPOINTMENT_PROCEDURE_INVALID', formatProblems(parsed.problems), { problems: parsed.problems });
  const input = parsed.value;
  const calendar = await loadCalendar(db, campaignId);
  if (!calendar) throw new HubError('HUB_ERR_APPOINTMENT_NO_CALENDAR');
  if (!calendar.calendar.services.some((s) => s.id === input.serviceId)) {
    const problems = [{ path: 'serviceId', message: bilingual(`el calendario no tiene el servicio «${input.serviceId}»`, `the calendar has no service "${input.serviceId}"`), severity: 'error' as const }];
    throw new HubError('HUB_ERR_APPOINTMENT_PROCEDURE_INVALID', formatProblems(problems), { problems });
  }
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('appointment_procedures').select(['campaign_id']).where('id', '=', procedureId).forUpdate().executeTakeFirst();
    if (existing && existing.campaign_id !== campaignId) throw new HubError('HUB_ERR_APPOINTMENT_PROCEDURE_TAKEN');
    const values = {
      name: input.name,
      description: input.description,
      service_id: input.serviceId,
      active: input.active,
      reviewer_skill: input.reviewerSkill,
      requirements: JSON.stringify(input.requirements),
    };
    const row = await trx
      .insertInto('appointment_procedures')
      .values({ id: procedureId, campaign_id: campaignId, ...values })
      // Two first saves of one id race on the primary key; the loser updates — unless the winner is another campaign's.
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...values, updated_at: sql`clock_timestamp()` }).where('appointment_procedures.campaign_id', '=', campaignId))
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new HubError('HUB_ERR_APPOINTMENT_PROCEDURE_TAKEN');
    await recordAudit(trx, {
      action: 'appointment.procedure_saved',
      actorUserId: actor.userId,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      targetType: 'appointment_procedure',
      targetId: procedureId,
      campaignId,
      details: { created: !existing, serviceId: input.serviceId, active: input.active, reviewerSkill: input.reviewerSkill, requirementIds: input.requirements.map((r) => r.id) },
    });
    return toProcedure(row);
  });
}

/** The active procedure of a service that asks for required documents (the booking gate). */
export async function documentProcedureOfService(trx: Executor, campaignId: string, serviceId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('appointment_procedures')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('service_id', '=', serviceId)
    .where('active', '=', true)
    .where(sql<boolean>`requirements @> '[{"required": true}]'::jsonb`)
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}
