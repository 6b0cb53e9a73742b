import { dailyAbandonment, monthlyAbandonment, type DailyValue } from '../formulas/abandonment.js';
import { averageHandleTime, type AhtDefinition } from '../formulas/aht.js';
import { averageSpeedOfAnswer } from '../formulas/asa.js';
import { firstContactResolution } from '../formulas/fcr.js';
import type { Bucket } from '../formulas/intervals.js';
import type { KpiResult } from '../formulas/kpi-result.js';
import { chatOccupancy, phoneOccupancy } from '../formulas/occupancy.js';
import { responseWithinLimit } from '../formulas/response-time.js';
import { serviceLevel } from '../formulas/service-level.js';
import { surveyTransferRate } from '../formulas/survey-transfer.js';
import type { ContactTally } from '../formulas/tally-contacts.js';
import type { AgentTime } from './agent-time.js';
import type { ContactSums } from './contact-aggregates.js';
import type { KpiSeriesRow } from './kpi-series.contract.js';

/** Every KPI of one series row from SQL sums, through the formula library only. */
export interface RowSettings {
  readonly serviceLevelThresholdMs: number;
  readonly shortAbandonThresholdMs: number;
  readonly ahtDefinition: AhtDefinition;
  readonly responseLimitMs: number;
  readonly chatSessions: number;
}

/** The tallyContacts figures from the SQL counts (same thresholds, same rules). */
export function tallyOf(sums: ContactSums, settings: RowSettings): ContactTally {
  const received = sums.receivedGross - sums.shortAbandoned;
  return {
    receivedGross: sums.receivedGross,
    received,
    attended: sums.attended,
    abandoned: received - sums.attended,
    shortAbandoned: sums.shortAbandoned,
    attendedWithinThreshold: sums.attendedWithinThreshold,
    totalAnswerWaitMs: sums.totalAnswerWaitMs,
    serviceLevelThresholdMs: settings.serviceLevelThresholdMs,
    shortAbandonThresholdMs: settings.shortAbandonThresholdMs,
  };
}

export function abandonmentOf(tally: ContactTally): KpiResult {
  return dailyAbandonment({ received: tally.receivedGross, attended: tally.attended, shortAbandoned: tally.shortAbandoned, shortAbandonThresholdMs: tally.shortAbandonThresholdMs });
}

export interface OccupancyPair {
  readonly phone: KpiResult | null;
  readonly chat: KpiResult | null;
}

/**
 * Occupancy from one agent's (or a pool's) time. The router keeps a serving agent `available`
 * (load is not a state), so idle Avail = available time − the time spent serving: phone, minus
 * talk and hold; chat, minus talk / n (n sessions fit in the available time, so idle slot-time
 * is Avail × n − talk). Chat talk is per session (overlapping sessions all count, DyC L7702–L7706);
 * chat has no auto-hold event, so its hold is 0. E-mail talk is in neither formula. An agent that
 * served only text gets no phone figure and vice versa; an idle agent gets both (0 %).
 */
export function occupancyOf(time: AgentTime, chatSessions: number): OccupancyPair {
  const available = time.stateTimesMs['available'] ?? 0;
  const acw = time.stateTimesMs['after_contact_work'] ?? 0;
  const phone =
    time.talkVoiceMs > 0 || time.talkTextMs === 0
      ? phoneOccupancy({ talkMs: time.talkVoiceMs, holdMs: time.holdMs, afterContactWorkMs: acw, availableMs: Math.max(0, available - time.talkVoiceMs - time.holdMs) })
      : null;
  const chat =
    time.talkTextMs > 0 || time.talkVoiceMs === 0
      ? chatOccupancy({ talkMs: time.talkTextMs, holdMs: 0, afterContactWorkMs: acw, availableMs: Math.max(0, available - time.talkTextMs / chatSessions) }, chatSessions)
      : null;
  return { phone, chat };
}

/** Pools the agents' occupancy inputs (sums of the times, as `consolidateOccupancy` 'pooled'). */
export function pooledOccupancy(times: readonly AgentTime[], chatSessions: number): OccupancyPair {
  const phone = { talkMs: 0, holdMs: 0, afterContactWorkMs: 0, availableMs: 0 };
  const chat = { talkMs: 0, holdMs: 0, afterContactWorkMs: 0, availableMs: 0 };
  let phoneAgents = 0;
  let chatAgents = 0;
  for (const time of times) {
    const pair = occupancyOf(time, chatSessions);
    if (pair.phone) {
      phoneAgents += 1;
      phone.talkMs += pair.phone.inputs['talkMs'] ?? 0;
      phone.holdMs += pair.phone.inputs['holdMs'] ?? 0;
      phone.afterContactWorkMs += pair.phone.inputs['afterContactWorkMs'] ?? 0;
      phone.availableMs += pair.phone.inputs['availableMs'] ?? 0;
    }
    if (pair.chat) {
      chatAgents += 1;
      chat.talkMs += pair.chat.inputs['talkMs'] ?? 0;
      chat.afterContactWorkMs += pair.chat.inputs['afterContactWorkMs'] ?? 0;
      chat.availableMs += pair.chat.inputs['availableMs'] ?? 0;
    }
  }
  return { phone: phoneAgents > 0 ? phoneOccupancy(phone) : null, chat: chatAgents > 0 ? chatOccupancy(chat, chatSessions) : null };
}

export interface RowInput {
  readonly bucket: Bucket;
  readonly queueId: string | null;
  readonly channelKind: string | null;
  readonly agentId: string | null;
  readonly sums: ContactSums;
  /** Month buckets: the local days of the bucket inside the period, with their own sums. */
  readonly days: readonly { readonly date: string; readonly sums: ContactSums }[] | null;
  /** Agent time for this row (one agent, or pooled); null when the row is per queue or channel. */
  readonly agentTime: { readonly own: AgentTime; readonly occupancy: OccupancyPair } | null;
  /** AHT from the agent's own segments (agent rows) instead of the contacts' talk. */
  readonly ahtFromAgentTime: boolean;
}

export function seriesRow(input: RowInput, settings: RowSettings): KpiSeriesRow {
  const { sums } = input;
  const tally = tallyOf(sums, settings);
  const sl = { attendedWithinThreshold: tally.attendedWithinThreshold, attended: tally.attended, received: tally.received, thresholdMs: tally.serviceLevelThresholdMs };
  const own = input.agentTime?.own;
  const time =
    input.ahtFromAgentTime && own
      ? { talkMs: own.talkVoiceMs + own.talkTextMs + own.talkEmailMs, holdMs: own.holdMs, afterContactWorkMs: own.stateTimesMs['after_contact_work'] ?? 0 }
      : { talkMs: sums.talkMs, holdMs: sums.holdMs, afterContactWorkMs: sums.acwMs };
  const abandonment =
    input.days === null
      ? abandonmentOf(tally)
      : monthlyAbandonment(input.days.map((day): DailyValue => ({ date: day.date, result: abandonmentOf(tallyOf(day.sums, settings)) })));
  const responses = sums.writtenWithin + sums.writtenLate + sums.writtenUnanswered;
  return {
    bucket: input.bucket,
    queueId: input.queueId,
    channelKind: input.channelKind,
    agentId: input.agentId,
    tally,
    pendingInQueue: sums.pending,
    asa: averageSpeedOfAnswer({ answered: tally.attended, totalAnswerWaitMs: tally.totalAnswerWaitMs }),
    aht: averageHandleTime({ attended: tally.attended, ...time, definition: settings.ahtDefinition }),
    abandonment,
    serviceLevelByReceived: serviceLevel({ ...sl, denominator: 'received' }),
    serviceLevelByAttended: serviceLevel({ ...sl, denominator: 'attended' }),
    responseWithinLimit: sums.written === 0 ? null : responseWithinLimit({ received: responses, attendedWithinLimit: sums.writtenWithin, limitMs: settings.responseLimitMs }),
    surveyTransfer: surveyTransferRate({ transferredToSurvey: sums.toSurvey, attended: tally.attended }),
    fcr: firstContactResolution({ resolvedOnFirstContact: sums.fcrFirst, cases: sums.fcrCases }),
    occupancyPhone: input.agentTime?.occupancy.phone ?? null,
    occupancyChat: input.agentTime?.occupancy.chat ?? null,
    stateTimesMs: own ? own.stateTimesMs : null,
    transfers: sums.transfers,
    tier2Transfers: sums.tier2Transfers,
  };
}
