import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { HubError } from '../errors/error-registry.js';
import type { AhtDefinition } from './formulas/aht.js';

/**
 * The campaign's measuring rules (sla_contracts, edited in the admin console's «Niveles de
 * servicio (SLA)»; absent = the contract defaults). One source: the reports, the SLA month and
 * the live wallboard all read them here, so they cannot disagree.
 */
export interface MeasuringRules {
  readonly campaignId: string;
  readonly campaignName: string;
  readonly timeZone: string;
  readonly serviceLevelThresholdMs: number;
  readonly serviceLevelDenominator: 'received' | 'attended';
  readonly shortAbandonThresholdMs: number;
  readonly ahtDefinition: AhtDefinition;
  readonly responseLimitMs: number;
}

export async function loadMeasuringRules(db: Kysely<Database>, campaignId: string): Promise<MeasuringRules> {
  const row = await db
    .selectFrom('campaigns')
    .leftJoin('sla_contracts', 'sla_contracts.campaign_id', 'campaigns.id')
    .select([
      'campaigns.name',
      'campaigns.time_zone',
      'sla_contracts.service_level_threshold_seconds',
      'sla_contracts.service_level_denominator',
      'sla_contracts.short_abandon_threshold_seconds',
      'sla_contracts.aht_definition',
      'sla_contracts.response_limit_hours',
    ])
    .where('campaigns.id', '=', campaignId)
    .executeTakeFirst();
  if (!row) throw new HubError('HUB_ERR_CAMPAIGN_NOT_FOUND');
  return {
    campaignId,
    campaignName: row.name,
    timeZone: row.time_zone,
    // T&C defaults (seed-digest §6.2): 20 s, by attended, no short abandons, talk / attended, 13 h.
    serviceLevelThresholdMs: (row.service_level_threshold_seconds ?? 20) * 1000,
    serviceLevelDenominator: row.service_level_denominator ?? 'attended',
    shortAbandonThresholdMs: (row.short_abandon_threshold_seconds ?? 0) * 1000,
    ahtDefinition: row.aht_definition ?? 'talk',
    responseLimitMs: (row.response_limit_hours ?? 13) * 3_600_000,
  };
}
