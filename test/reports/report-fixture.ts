import type { Kysely } from 'kysely';
import type { Database } from '../../hub/src/db/schema.js';
import { deriveAllFacts } from '../../hub/src/kpi/facts/derive-facts.js';
import { createUser } from '../support/factories.js';
import { createQueue } from '../support/router-factories.js';
import { insertEvents, planContact, type SimEvent, type TruthContact } from '../kpi/simulated-day.js';

/**
 * A small hand-made traffic for the report tests, in the past (so "now" never changes a figure),
 * America/Mexico_City (−06:00 in 2025, no DST). The expected figures in reports.test.ts are worked
 * out by hand from the list below, not from the code under test.
 *
 * Day 1, 2025-03-12 (SL threshold 20 s, short abandons < 10 s, from the campaign's sla_contracts):
 *  c1 voice   Orientación 09:00:00 wait 10 s → Ana, talk 120 s, ACW 15 s
 *  c2 voice   Orientación 09:10:00 wait 30 s → Ana, talk 180 s (12 s hold)
 *  c3 voice   Orientación 09:20:00 hangs up after 5 s (short abandon)
 *  c4 webchat Trámites    09:40:00 wait 20 s → Bruno, first reply 20 s, talk 60 s; tier 2 at 09:40:50
 *  c5 email   Trámites    10:05:00 wait 40 s → Bruno, first reply 1 h, talk 3 630 s
 *  c6 webchat Trámites    10:30:00 leaves after 50 s (abandon)
 * Day 2, 2025-03-13:
 *  c7 voice   Orientación 10:00:00 wait 8 s → Ana, talk 100 s; tier 2 «trámite de pensión»
 *  c8 webchat Trámites    11:00:00 wait 15 s → Bruno, talk 60 s; tier 2 «consulta especializada»
 * Agent states: Ana available 08:00–12:00 on day 1 (ACW 09:02:10–09:02:25), Bruno 09:00–12:00.
 */
export const DAY1 = '2025-03-12';
export const DAY2 = '2025-03-13';
const S = 1000;
/** Local wall time of a day (−06:00) as epoch ms. */
export const local = (day: 1 | 2, h: number, m: number, s = 0): number => Date.UTC(2025, 2, day === 1 ? 12 : 13, h + 6, m, s);

export interface ReportFixture {
  queues: { orientacion: string; tramites: string };
  agents: { ana: string; bruno: string; tere: string };
  contacts: TruthContact[];
}

function stateEvent(agentId: string, atMs: number, from: string, to: string, reason: string | null): SimEvent {
  return { type: 'agent.state_changed', atMs, conversationId: null, actorType: 'system', payload: { agentId, from, to, reason, seatType: 'PS-I', load: { text: 0, voice: 0, email: 0 } } };
}

export async function seedReportFixture(db: Kysely<Database>, campaignId: string): Promise<ReportFixture> {
  const queues = { orientacion: await createQueue(db, campaignId, { name: 'Orientación' }), tramites: await createQueue(db, campaignId, { name: 'Trámites' }) };
  const user = async (name: string) => (await createUser(db, { roles: ['agent'], campaignIds: [campaignId], name })).id;
  const agents = { ana: await user('Ana Pérez'), bruno: await user('Bruno Díaz'), tere: await user('Tere Segundo Nivel') };
  await db
    .insertInto('sla_contracts')
    .values({ campaign_id: campaignId, contract_start_month: '2025-01', max_contract_amount_cents: 100_000_000, service_level_threshold_seconds: 20, short_abandon_threshold_seconds: 10 })
    .execute();
  const base = { tier2: false, survey: false, hold: false, talkMs: 60 * S };
  const plans = [
    { ...base, kind: 'voice', queueId: queues.orientacion, queuedAtMs: local(1, 9, 0), waitMs: 10 * S, answered: true, agentId: agents.ana, talkMs: 120 * S },
    { ...base, kind: 'voice', queueId: queues.orientacion, queuedAtMs: local(1, 9, 10), waitMs: 30 * S, answered: true, agentId: agents.ana, talkMs: 180 * S, hold: true },
    { ...base, kind: 'voice', queueId: queues.orientacion, queuedAtMs: local(1, 9, 20), waitMs: 5 * S, answered: false, agentId: agents.ana },
    { ...base, kind: 'webchat', queueId: queues.tramites, queuedAtMs: local(1, 9, 40), waitMs: 20 * S, answered: true, agentId: agents.bruno, tier2: true, responseDelayMs: 20 * S },
    { ...base, kind: 'email', queueId: queues.tramites, queuedAtMs: local(1, 10, 5), waitMs: 40 * S, answered: true, agentId: agents.bruno, responseDelayMs: 3_600 * S },
    { ...base, kind: 'webchat', queueId: queues.tramites, queuedAtMs: local(1, 10, 30), waitMs: 50 * S, answered: false, agentId: agents.bruno },
    { ...base, kind: 'voice', queueId: queues.orientacion, queuedAtMs: local(2, 10, 0), waitMs: 8 * S, answered: true, agentId: agents.ana, talkMs: 100 * S, tier2: true },
    { ...base, kind: 'webchat', queueId: queues.tramites, queuedAtMs: local(2, 11, 0), waitMs: 15 * S, answered: true, agentId: agents.bruno, tier2: true, responseDelayMs: 10 * S },
  ] as const;
  const contacts: TruthContact[] = [];
  const events: SimEvent[] = [];
  plans.forEach((plan, i) => {
    const built = planContact(plan, i + 1, agents.tere);
    if (i === 6) {
      // c7's reason differs (planContact always writes «consulta especializada»).
      for (const e of built.events) if (e.type === 'conversation.transferred' || e.type === 'call.transferred') e.payload['reason'] = 'trámite de pensión';
      built.truth.tier2Reason = 'trámite de pensión';
    }
    contacts.push(built.truth);
    events.push(...built.events);
  });
  events.push(
    stateEvent(agents.ana, local(1, 8, 0), 'offline', 'available', null),
    stateEvent(agents.ana, local(1, 9, 2, 10), 'available', 'after_contact_work', contacts[0]!.folio),
    stateEvent(agents.ana, local(1, 9, 2, 25), 'after_contact_work', 'available', null),
    stateEvent(agents.ana, local(1, 12, 0), 'available', 'offline', null),
    stateEvent(agents.bruno, local(1, 9, 0), 'offline', 'available', null),
    stateEvent(agents.bruno, local(1, 12, 0), 'available', 'offline', null),
  );
  await insertEvents(db, campaignId, events);
  await deriveAllFacts(db, { campaignId });
  return { queues, agents, contacts };
}
