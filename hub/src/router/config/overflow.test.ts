import { describe, expect, it } from 'vitest';
import { applyOverflowStep, effectiveRequirements, nextOverflowStep, settleOverflow, startOverflow } from './overflow.js';
import { after, moveTo, onEstimate, queueConfig, relax, SKILL, uuid } from './routing-config.fixtures.js';
import type { QueueConfig } from './queue-config.schema.js';

const T0 = Date.UTC(2026, 2, 2, 15, 0, 0);
const S = 1000;
const GENERAL = uuid(0x101);
const CITAS = uuid(0x102);
const PENSIONES = uuid(0x103);

const citas = queueConfig({ overflow: [after(120, relax(1)), onEstimate(600, relax(1)), after(300, moveTo(GENERAL))] });
const state = (stepsApplied: number, now: number, estimatedWaitMs: number | null = null) => ({ enqueuedAt: T0, stepsApplied, now, estimatedWaitMs });

describe('nextOverflowStep', () => {
  it('schedules a time step for enqueuedAt + afterSeconds and makes it due from that instant', () => {
    expect(nextOverflowStep(citas, state(0, T0))).toEqual({ kind: 'scheduled', stepIndex: 0, dueAt: T0 + 120 * S });
    expect(nextOverflowStep(citas, state(0, T0 + 120 * S - 1)).kind).toBe('scheduled');
    expect(nextOverflowStep(citas, state(0, T0 + 120 * S))).toEqual({ kind: 'due', stepIndex: 0, step: after(120, relax(1)) });
  });

  it('fires an estimate step only when the estimate exceeds the threshold, never on an unknown one', () => {
    expect(nextOverflowStep(citas, state(1, T0, 600 * S))).toEqual({ kind: 'on_estimate', stepIndex: 1, thresholdMs: 600 * S });
    expect(nextOverflowStep(citas, state(1, T0, null)).kind).toBe('on_estimate');
    expect(nextOverflowStep(citas, state(1, T0, 600 * S + 1)).kind).toBe('due');
  });

  it('keeps list order: a later step waits for the earlier one even when its own time has come', () => {
    expect(nextOverflowStep(citas, state(1, T0 + 900 * S, 0)).kind).toBe('on_estimate');
  });

  it('is done after the last step, and refuses a nonsense counter', () => {
    expect(nextOverflowStep(citas, state(3, T0))).toEqual({ kind: 'done' });
    expect(nextOverflowStep(queueConfig(), state(0, T0))).toEqual({ kind: 'done' });
    expect(() => nextOverflowStep(citas, state(-1, T0))).toThrow(RangeError);
  });
});

describe('applyOverflowStep', () => {
  const start = startOverflow(CITAS, T0);

  it('accumulates relaxation, capped at 4', () => {
    const once = applyOverflowStep(start, after(120, relax(3)), T0 + 120 * S);
    expect(once).toEqual({ outcome: 'relaxed', position: { ...start, relaxedLevels: 3, stepsApplied: 1 } });
    expect(applyOverflowStep(once.position, after(300, relax(3)), T0 + 300 * S).position.relaxedLevels).toBe(4);
  });

  it('a move starts the target queue afresh and remembers where the conversation came from', () => {
    const relaxed = { ...start, relaxedLevels: 2, stepsApplied: 2 };
    expect(applyOverflowStep(relaxed, after(300, moveTo(GENERAL)), T0 + 300 * S)).toEqual({
      outcome: 'moved',
      position: { queueId: GENERAL, relaxedLevels: 0, stepsApplied: 0, enqueuedAt: T0 + 300 * S, visitedQueueIds: [CITAS] },
    });
  });

  it('never moves back into a queue already left, nor into itself (skips the step instead)', () => {
    const inGeneral = { ...startOverflow(GENERAL, T0), visitedQueueIds: [CITAS] };
    expect(applyOverflowStep(inGeneral, after(60, moveTo(CITAS)), T0)).toEqual({ outcome: 'skipped_cycle', position: { ...inGeneral, stepsApplied: 1 } });
    expect(applyOverflowStep(inGeneral, after(60, moveTo(GENERAL)), T0).outcome).toBe('skipped_cycle');
  });
});

describe('settleOverflow', () => {
  const configs = new Map<string, Pick<QueueConfig, 'overflow'>>([
    [CITAS, citas],
    [GENERAL, { overflow: [onEstimate(60, moveTo(PENSIONES))] }],
    [PENSIONES, { overflow: [onEstimate(60, moveTo(CITAS)), after(300, relax(1))] }],
  ]);

  it('applies every step a late timer owes, in order, then reports what to schedule next', () => {
    // Timer for step 0 fired 250 s late; the estimate step is met, the 300 s move is not yet due.
    const settled = settleOverflow(configs, startOverflow(CITAS, T0), T0 + 250 * S, () => 700 * S);
    expect(settled.applied.map((a) => [a.stepIndex, a.outcome])).toEqual([
      [0, 'relaxed'],
      [1, 'relaxed'],
    ]);
    expect(settled.position).toMatchObject({ queueId: CITAS, relaxedLevels: 2, stepsApplied: 2 });
    expect(settled.next).toEqual({ kind: 'scheduled', stepIndex: 2, dueAt: T0 + 300 * S });
  });

  it('follows moves across queues and stops a cycle (validation bypassed) instead of looping', () => {
    const inCitas = { ...startOverflow(CITAS, T0), stepsApplied: 2 };
    const settled = settleOverflow(configs, inCitas, T0 + 300 * S, () => 3_600 * S);
    expect(settled.applied.map((a) => `${a.queueId === CITAS ? 'citas' : a.queueId === GENERAL ? 'general' : 'pensiones'}:${a.outcome}`)).toEqual([
      'citas:moved',
      'general:moved',
      'pensiones:skipped_cycle',
    ]);
    expect(settled.position).toMatchObject({ queueId: PENSIONES, stepsApplied: 1, visitedQueueIds: [CITAS, GENERAL] });
    // Pensiones counts its own 300 s from the moment it was entered.
    expect(settled.next).toEqual({ kind: 'scheduled', stepIndex: 1, dueAt: T0 + 600 * S });
  });

  it('skips a move to a queue it has no configuration for', () => {
    const lone = new Map([[CITAS, { overflow: [after(10, moveTo(uuid(0x999))), after(20, relax(1))] }]]);
    const settled = settleOverflow(lone, startOverflow(CITAS, T0), T0 + 30 * S, () => null);
    expect(settled.applied.map((a) => a.outcome)).toEqual(['skipped_unknown_queue', 'relaxed']);
    expect(settled.next).toEqual({ kind: 'done' });
  });

  it('does nothing when nothing is due', () => {
    const settled = settleOverflow(configs, startOverflow(CITAS, T0), T0, () => null);
    expect(settled).toEqual({ position: startOverflow(CITAS, T0), applied: [], next: { kind: 'scheduled', stepIndex: 0, dueAt: T0 + 120 * S } });
  });
});

describe('effectiveRequirements', () => {
  it('lowers every requirement by the relaxation, never below 1, never dropping a skill', () => {
    const config = queueConfig({ requiredSkills: [{ skillId: SKILL.citas, minLevel: 4 }, { skillId: SKILL.afiliacion, minLevel: 2 }] });
    expect(effectiveRequirements(config, 2)).toEqual([
      { skillId: SKILL.citas, minLevel: 2 },
      { skillId: SKILL.afiliacion, minLevel: 1 },
    ]);
  });
});
