/**
 * The booking gate of document pre-review (seed-digest §9.1: only then book). Called by
 * `bookAppointment` inside its transaction, before the slot is claimed: with a case, the case must
 * be this campaign's, approved, for this service and without an active appointment — it is locked
 * and set to `booked`, so a refused booking (rolled back) leaves it approved; without a case, a
 * service whose active procedure asks for documents refuses.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HubError } from '../../errors/error-registry.js';
import { ACTIVE_STATUSES } from '../rules/appointment-rules.types.js';
import { documentProcedureOfService, loadProcedure } from './procedure.store.js';

export interface GateInput {
  readonly campaignId: string;
  readonly serviceId: string;
  readonly caseId?: string | undefined;
}

export async function admitCaseBooking(trx: Transaction<Database>, input: GateInput): Promise<void> {
  if (input.caseId === undefined) {
    if (await documentProcedureOfService(trx, input.campaignId, input.serviceId)) throw new HubError('HUB_ERR_APPOINTMENT_CASE_NOT_APPROVED');
    return;
  }
  const caseRow = await trx
    .selectFrom('appointment_cases')
    .select(['id', 'status', 'procedure_id'])
    .where('id', '=', input.caseId)
    .where('campaign_id', '=', input.campaignId)
    .forUpdate()
    .executeTakeFirst();
  if (!caseRow) throw new HubError('HUB_ERR_APPOINTMENT_CASE_NOT_FOUND');
  const active = await trx
    .selectFrom('appointments')
    .select('id')
    .where('case_id', '=', caseRow.id)
    .where('status', 'in', ACTIVE_STATUSES)
    .limit(1)
    .executeTakeFirst();
  if (active) throw new HubError('HUB_ERR_APPOINTMENT_CASE_HAS_APPOINTMENT');
  // `booked` without an active appointment: its appointment was cancelled, the documents still stand.
  if (caseRow.status !== 'approved' && caseRow.status !== 'booked') throw new HubError('HUB_ERR_APPOINTMENT_CASE_NOT_APPROVED');
  const procedure = await loadProcedure(trx, caseRow.procedure_id);
  if (procedure?.serviceId !== input.serviceId) throw new HubError('HUB_ERR_APPOINTMENT_CASE_SERVICE_MISMATCH');
  await trx.updateTable('appointment_cases').set({ status: 'booked', updated_at: new Date() }).where('id', '=', caseRow.id).execute();
}
