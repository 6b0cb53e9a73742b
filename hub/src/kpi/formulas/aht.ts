import { assertCounts, assertNonNegative, type KpiResult, ratioResult } from './kpi-result.js';

/**
 * Which durations make up the handle time.
 * - `talk` (default): the contract's formula, "Total de tiempo de conversación / Total de
 *   llamadas o chats atendidos" (S003 L7885; OMT L5635 and CMT L5873 print the same).
 * - `talk_hold`: conversation plus hold (the user is still on the line: "tiempo promedio de
 *   interacción entre el usuario … y el agente", glossary L11382).
 * - `talk_hold_acw`: the industry handle time, adding after-contact work.
 */
export type AhtDefinition = 'talk' | 'talk_hold' | 'talk_hold_acw';

export interface AhtInput {
  /** Contacts attended (MPEC outbound: calls made, L9511). */
  readonly attended: number;
  readonly talkMs: number;
  readonly holdMs?: number;
  readonly afterContactWorkMs?: number;
  readonly definition?: AhtDefinition;
}

export function averageHandleTime(input: AhtInput): KpiResult {
  const definition = input.definition ?? 'talk';
  const holdMs = definition === 'talk' ? 0 : (input.holdMs ?? 0);
  const acwMs = definition === 'talk_hold_acw' ? (input.afterContactWorkMs ?? 0) : 0;
  assertCounts({ attended: input.attended });
  assertNonNegative({ talkMs: input.talkMs, holdMs, afterContactWorkMs: acwMs });
  const numerator = input.talkMs + holdMs + acwMs;
  const parts = [`${input.talkMs}`, ...(definition === 'talk' ? [] : [`${holdMs}`]), ...(definition === 'talk_hold_acw' ? [`${acwMs}`] : [])];
  const names = { talk: 'conversación', talk_hold: 'conversación + espera (hold)', talk_hold_acw: 'conversación + espera (hold) + trabajo posterior (ACW)' };
  return ratioResult({
    kpi: 'aht',
    unit: 'ms',
    numerator,
    denominator: input.attended,
    scale: 1,
    formula: `Σ tiempo de ${names[definition]} / atendidas`,
    seedRef: 'S003 L7885, L5635, L5873; glosario L11382',
    inputs: { talkMs: input.talkMs, holdMs, afterContactWorkMs: acwMs, attended: input.attended },
    arithmetic: `(${parts.join(' + ')}) ms / ${input.attended}`,
  });
}
