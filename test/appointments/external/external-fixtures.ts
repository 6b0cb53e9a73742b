import type { Kysely } from 'kysely';
import type { Database } from '@ventanilla/hub';
import { saveExternalSettings } from '../../../hub/src/appointments/external/external-settings.store.js';
import type { ExternalSchedulingMode } from '../../../hub/src/db/schema-appointment-external.js';
import { createUser } from '../../support/factories.js';
import { clinicCampaign } from '../booking/booking-fixtures.js';
import type { SchedulingHarness } from './scheduling-harness.js';

/** A clinic campaign (booking-fixtures) whose external system is the harness, in `mode`. */
export async function externalCampaign(db: Kysely<Database>, harness: SchedulingHarness, mode: ExternalSchedulingMode, options: { secret?: string; timeoutMs?: number } = {}): Promise<{ campaignId: string; adminId: string }> {
  const campaignId = await clinicCampaign(db);
  const admin = await createUser(db, { roles: ['admin'] });
  await saveExternalSettings(
    db,
    campaignId,
    { mode, baseUrl: harness.baseUrl, secret: options.secret ?? harness.secret, timeoutMs: options.timeoutMs ?? 2000 },
    { userId: admin.id, ip: null, userAgent: null },
  );
  return { campaignId, adminId: admin.id };
}

export async function eventKinds(db: Kysely<Database>, appointmentId: string): Promise<string[]> {
  const rows = await db.selectFrom('appointment_events').select('kind').where('appointment_id', '=', appointmentId).orderBy('id').execute();
  return rows.map((r) => r.kind);
}
