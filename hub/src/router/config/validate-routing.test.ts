import { describe, expect, it } from 'vitest';
import { formatProblems, hasErrors } from './routing-problem.js';
import { after, CAMPAIGN, moveTo, onEstimate, OTHER_CAMPAIGN, queueConfig, relax, SKILL, uuid } from './routing-config.fixtures.js';
import { validateRouting, type RoutingQueue, type RoutingValidationInput } from './validate-routing.js';
import type { QueueConfig } from './queue-config.schema.js';

const GENERAL = uuid(0x101);
const CITAS = uuid(0x102);
const PENSIONES = uuid(0x103);
const FOREIGN = uuid(0x201);

const q = (id: string, name: string, overrides: Partial<QueueConfig> = {}): RoutingQueue => ({ id, campaignId: CAMPAIGN, config: queueConfig({ name, ...overrides }) });

function check(queues: readonly RoutingQueue[], extra: Partial<RoutingValidationInput> = {}): string[] {
  return validateRouting({ campaignId: CAMPAIGN, skillIds: Object.values(SKILL), queues, ...extra }).map((p) =>
    `${p.severity} ${p.queueId ?? '-'} ${formatProblems([p])}`,
  );
}

describe('validateRouting', () => {
  it('accepts the demo shape: Citas médicas → General after 120 s, Pensiones relaxes after 300 s', () => {
    const problems = check([
      q(GENERAL, 'General', { requiredSkills: [{ skillId: SKILL.afiliacion, minLevel: 1 }] }),
      q(CITAS, 'Citas médicas', { overflow: [after(120, moveTo(GENERAL))] }),
      q(PENSIONES, 'Pensiones', { requiredSkills: [{ skillId: SKILL.pensiones, minLevel: 3 }], overflow: [after(300, relax(1)), onEstimate(1200, moveTo(GENERAL))] }),
    ]);
    expect(problems).toEqual([]);
  });

  it('names a skill the campaign does not have', () => {
    expect(check([q(CITAS, 'Citas médicas', { requiredSkills: [{ skillId: uuid(0x999), minLevel: 2 }] })])).toEqual([
      `error ${CITAS} requiredSkills.0.skillId: habilidad desconocida en la campaña: ${uuid(0x999)} / unknown skill in this campaign: ${uuid(0x999)}`,
    ]);
  });

  it('rejects a move to an unknown queue and to a queue of another campaign', () => {
    const problems = check([q(CITAS, 'Citas médicas', { overflow: [after(60, moveTo(uuid(0x777)))] }), q(PENSIONES, 'Pensiones', { overflow: [after(60, moveTo(FOREIGN))] })], {
      foreignQueues: new Map([[FOREIGN, OTHER_CAMPAIGN]]),
    });
    expect(problems).toEqual([
      `error ${CITAS} overflow.0.action.moveToQueueId: fila destino desconocida: ${uuid(0x777)} / unknown target queue: ${uuid(0x777)}`,
      `error ${PENSIONES} overflow.0.action.moveToQueueId: la fila destino ${FOREIGN} es de otra campaña; use una transferencia / target queue ${FOREIGN} belongs to another campaign; use a transfer`,
    ]);
  });

  it('rejects a queue listed under the wrong campaign, and a queue listed twice', () => {
    const stray: RoutingQueue = { ...q(CITAS, 'Citas médicas'), campaignId: OTHER_CAMPAIGN };
    expect(check([stray])).toEqual([`error ${CITAS} la fila «Citas médicas» pertenece a otra campaña / queue "Citas médicas" belongs to another campaign`]);
    expect(check([q(CITAS, 'A'), q(CITAS, 'B')])).toEqual([`error ${CITAS} fila repetida: ${CITAS} / duplicate queue: ${CITAS}`]);
  });

  it('reports an overflow cycle on every queue of it, with the queue names', () => {
    const problems = check([q(CITAS, 'Citas médicas', { overflow: [after(120, moveTo(GENERAL))] }), q(GENERAL, 'General', { overflow: [onEstimate(600, moveTo(CITAS))] })]);
    expect(problems).toEqual([
      `error ${GENERAL} overflow.0.action.moveToQueueId: ciclo de desborde: General → Citas médicas → General / overflow cycle: General → Citas médicas → General`,
      `error ${CITAS} overflow.0.action.moveToQueueId: ciclo de desborde: General → Citas médicas → General / overflow cycle: General → Citas médicas → General`,
    ]);
  });

  it('finds a self-loop and a three-queue cycle', () => {
    expect(check([q(CITAS, 'Citas médicas', { overflow: [after(60, moveTo(CITAS))] })])).toEqual([
      `error ${CITAS} overflow.0.action.moveToQueueId: ciclo de desborde: Citas médicas → Citas médicas / overflow cycle: Citas médicas → Citas médicas`,
    ]);
    const ring = check([
      q(GENERAL, 'General', { overflow: [after(60, moveTo(CITAS))] }),
      q(CITAS, 'Citas médicas', { overflow: [after(60, moveTo(PENSIONES))] }),
      q(PENSIONES, 'Pensiones', { overflow: [after(60, moveTo(GENERAL))] }),
    ]);
    expect(ring).toHaveLength(3);
    expect(ring.every((line) => line.includes('General → Citas médicas → Pensiones → General'))).toBe(true);
  });

  it('requires afterSeconds to increase along the list, ignoring estimate-based steps in between', () => {
    const problems = check([q(CITAS, 'Citas médicas', { requiredSkills: [{ skillId: SKILL.citas, minLevel: 5 }], overflow: [after(300, relax(1)), onEstimate(60, relax(1)), after(300, relax(1)), after(200, relax(1))] })]);
    expect(problems).toEqual([
      `error ${CITAS} overflow.2.trigger.afterSeconds: debe ser mayor que 300 s del paso 0 / must be greater than step 0's 300 s`,
      `error ${CITAS} overflow.3.trigger.afterSeconds: debe ser mayor que 300 s del paso 2 / must be greater than step 2's 300 s`,
    ]);
  });

  it('rejects steps after a move (they can never run)', () => {
    expect(check([q(GENERAL, 'General'), q(CITAS, 'Citas médicas', { overflow: [after(120, moveTo(GENERAL)), after(300, relax(1))] })])).toEqual([
      `error ${CITAS} overflow.1: paso inalcanzable: el paso 0 ya mueve la conversación a otra fila / unreachable step: step 0 already moves the conversation away`,
    ]);
  });

  it('rejects a relaxation with no effect and warns about one that overshoots', () => {
    const levelOne = check([q(GENERAL, 'General', { requiredSkills: [{ skillId: SKILL.afiliacion, minLevel: 1 }], overflow: [after(60, relax(1))] })]);
    expect(levelOne).toEqual([`error ${GENERAL} overflow.0.action.relaxLevels: la relajación no tiene efecto: todos los niveles requeridos ya están en 1 / relaxation has no effect: every required level is already 1`]);
    const noSkills = validateRouting({ campaignId: CAMPAIGN, skillIds: [], queues: [q(GENERAL, 'General', { requiredSkills: [], overflow: [after(60, relax(1))] })] });
    expect(hasErrors(noSkills)).toBe(true);

    const overshoot = check([q(CITAS, 'Citas médicas', { requiredSkills: [{ skillId: SKILL.citas, minLevel: 3 }], overflow: [after(60, relax(1)), after(120, relax(3)), after(180, relax(1))] })]);
    expect(overshoot).toEqual([
      `warning ${CITAS} overflow.1.action.relaxLevels: relaja más de lo posible; los niveles no bajan de 1 (basta con 1) / relaxes more than possible; levels never go below 1 (1 is enough)`,
      `error ${CITAS} overflow.2.action.relaxLevels: la relajación no tiene efecto: todos los niveles requeridos ya están en 1 / relaxation has no effect: every required level is already 1`,
    ]);
  });

  it('counts the highest requirement: relaxing helps while any level is above 1', () => {
    const mixed = q(PENSIONES, 'Pensiones', {
      requiredSkills: [{ skillId: SKILL.afiliacion, minLevel: 1 }, { skillId: SKILL.pensiones, minLevel: 3 }],
      overflow: [after(60, relax(1)), after(120, relax(1))],
    });
    expect(check([mixed])).toEqual([]);
  });

  it('warns about a time step at or past the maximum wait', () => {
    expect(check([q(CITAS, 'Citas médicas', { maxWaitSeconds: 600, requiredSkills: [{ skillId: SKILL.citas, minLevel: 3 }], overflow: [after(600, relax(1))] })])).toEqual([
      `warning ${CITAS} overflow.0.trigger.afterSeconds: nunca se aplica: la espera máxima de la fila es 600 s / never applies: the queue's maximum wait is 600 s`,
    ]);
  });

  it('checks capacity overrides stored outside the schema: range, whole numbers, one per agent', () => {
    const problems = validateRouting({
      campaignId: CAMPAIGN,
      skillIds: [],
      queues: [],
      capacityOverrides: [{ agentId: uuid(1), text: 12 }, { agentId: uuid(2), voice: 0.5, email: 10 }, { agentId: uuid(1), text: 4 }],
    });
    expect(formatProblems(problems)).toBe(
      [
        'capacityOverrides.0.text: la capacidad de texto debe ser un entero entre 1 y 10 / text capacity must be an integer 1–10 (12)',
        'capacityOverrides.1.voice: la capacidad de voz debe ser un entero entre 0 y 1 / voice capacity must be an integer 0–1 (0.5)',
        `capacityOverrides.2.agentId: agente repetido: ${uuid(1)} / duplicate agent: ${uuid(1)}`,
      ].join('; '),
    );
    expect(problems.every((p) => p.queueId === undefined)).toBe(true);
  });
});
