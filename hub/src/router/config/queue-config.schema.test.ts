import { describe, expect, it } from 'vitest';
import { parseQueueConfig } from './queue-config.schema.js';
import { formatProblems } from './routing-problem.js';
import { SKILL, uuid } from './routing-config.fixtures.js';

const valid = {
  name: 'Citas médicas',
  priority: 40,
  requiredSkills: [{ skillId: SKILL.citas, minLevel: 2 }],
  strategy: 'longest_idle',
  channelClasses: ['text', 'voice'],
  overflow: [
    { trigger: { afterSeconds: 120 }, action: { moveToQueueId: uuid(1) } },
    { trigger: { estimatedWaitOverSeconds: 600 }, action: { relaxLevels: 1 } },
  ],
  afterHours: { mode: 'offer_voicemail_or_callback', message: { es: 'Deje un mensaje o pida que le llamemos.', en: 'Leave a message or ask for a callback.' } },
};

/** The one problem a single bad field produces, as "path: message". */
function problemFor(patch: Record<string, unknown>): string {
  const result = parseQueueConfig({ ...valid, ...patch });
  if (result.ok) throw new Error('expected a problem');
  return formatProblems(result.problems);
}

describe('queueConfigSchema', () => {
  it('accepts a full queue and keeps the trigger/action shapes', () => {
    const result = parseQueueConfig(valid);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.overflow).toEqual(valid.overflow);
  });

  it('defaults overflow to none and allows a queue without skill requirements', () => {
    const { overflow: _overflow, ...rest } = valid;
    const result = parseQueueConfig({ ...rest, requiredSkills: [] });
    expect(result.ok && result.value.overflow).toEqual([]);
  });

  it.each([
    [{ priority: 0 }, 'priority: la prioridad debe estar entre 1 (más urgente) y 99 / priority must be 1 (most urgent)–99'],
    [{ priority: 100 }, 'priority: la prioridad debe estar entre 1 (más urgente) y 99 / priority must be 1 (most urgent)–99'],
    [{ priority: 2.5 }, 'priority: la prioridad debe estar entre 1 (más urgente) y 99 / priority must be 1 (most urgent)–99'],
    [{ name: '  ' }, 'name: el nombre es obligatorio / name is required'],
    [{ strategy: 'fifo' }, 'strategy: estrategia desconocida, use longest_idle, least_busy, round_robin / unknown strategy, use longest_idle, least_busy, round_robin'],
    [{ channelClasses: [] }, 'channelClasses: indique al menos una clase de canal / give at least one channel class'],
    [{ channelClasses: ['text', 'text'] }, 'channelClasses: clase de canal repetida / duplicate channel class'],
    [{ channelClasses: ['fax'] }, 'channelClasses.0: clase de canal desconocida, use text, voice, email / unknown channel class, use text, voice, email'],
    [{ maxWaitSeconds: 0 }, 'maxWaitSeconds: la espera máxima debe ser un entero de segundos entre 1 y 86400 / must be whole seconds, 1–86400'],
    [{ extra: true }, 'campos desconocidos: extra / unknown fields: extra'],
  ])('rejects %j', (patch, expected) => {
    expect(problemFor(patch)).toBe(expected);
  });

  it('says which skill level is out of range, and names duplicate and malformed skills', () => {
    expect(problemFor({ requiredSkills: [{ skillId: SKILL.citas, minLevel: 2 }, { skillId: SKILL.pensiones, minLevel: 6 }] })).toBe(
      'requiredSkills.1.minLevel: el nivel debe estar entre 1 y 5 / level must be 1–5',
    );
    expect(problemFor({ requiredSkills: [{ skillId: SKILL.citas, minLevel: 0 }] })).toBe('requiredSkills.0.minLevel: el nivel debe estar entre 1 y 5 / level must be 1–5');
    expect(problemFor({ requiredSkills: [{ skillId: SKILL.citas, minLevel: 2 }, { skillId: SKILL.citas, minLevel: 3 }] })).toBe(
      `requiredSkills.1.skillId: habilidad repetida: ${SKILL.citas} / duplicate skill: ${SKILL.citas}`,
    );
    expect(problemFor({ requiredSkills: [{ skillId: 'citas', minLevel: 2 }] })).toBe('requiredSkills.0.skillId: el id de habilidad debe ser un UUID / skillId must be a UUID');
  });

  it('needs exactly one trigger and exactly one action per overflow step', () => {
    const step = (trigger: object, action: object): Record<string, unknown> => ({ overflow: [{ trigger, action }] });
    expect(problemFor(step({}, { relaxLevels: 1 }))).toBe(
      'overflow.0.trigger: indique exactamente uno: afterSeconds o estimatedWaitOverSeconds / give exactly one of afterSeconds or estimatedWaitOverSeconds',
    );
    expect(problemFor(step({ afterSeconds: 10, estimatedWaitOverSeconds: 10 }, { relaxLevels: 1 }))).toContain('overflow.0.trigger: indique exactamente uno');
    expect(problemFor(step({ afterSeconds: 10 }, { relaxLevels: 1, moveToQueueId: uuid(1) }))).toBe(
      'overflow.0.action: indique exactamente uno: moveToQueueId o relaxLevels / give exactly one of moveToQueueId or relaxLevels',
    );
  });

  it('keeps the precise range message inside a step', () => {
    const step = (trigger: object, action: object): Record<string, unknown> => ({ overflow: [{ trigger, action }] });
    expect(problemFor(step({ afterSeconds: -5 }, { relaxLevels: 1 }))).toBe(
      'overflow.0.trigger.afterSeconds: el tiempo debe ser un entero de segundos entre 1 y 86400 / must be whole seconds, 1–86400',
    );
    expect(problemFor(step({ estimatedWaitOverSeconds: 0 }, { relaxLevels: 1 }))).toContain('overflow.0.trigger.estimatedWaitOverSeconds: la espera estimada debe ser');
    expect(problemFor(step({ afterSeconds: 5 }, { relaxLevels: 5 }))).toBe('overflow.0.action.relaxLevels: la relajación debe estar entre 1 y 4 niveles / relaxLevels must be 1–4');
    expect(problemFor(step({ afterSeconds: 5 }, { moveToQueueId: 'general' }))).toBe('overflow.0.action.moveToQueueId: la fila destino debe ser un UUID / moveToQueueId must be a UUID');
  });

  it('accepts the three after-hours modes and requires the Spanish text', () => {
    for (const mode of ['keep_queued', 'offer_voicemail_or_callback', 'close']) {
      expect(parseQueueConfig({ ...valid, afterHours: { mode, message: { es: 'Hola' } } }).ok).toBe(true);
    }
    expect(problemFor({ afterHours: { mode: 'close', message: { es: ' ', en: 'Closed' } } })).toBe(
      'afterHours.message.es: el mensaje en español es obligatorio / a Spanish message is required',
    );
    expect(problemFor({ afterHours: { mode: 'close', message: { en: 'Closed' } } })).toBe('afterHours.message.es: campo requerido / required field');
    expect(problemFor({ afterHours: { mode: 'hang_up', message: { es: 'Adiós' } } })).toContain('afterHours.mode: modo fuera de horario desconocido');
    expect(problemFor({ afterHours: undefined })).toBe('afterHours: indique el comportamiento fuera de horario / afterHours is required');
  });

  it('words type errors and missing fields in both languages', () => {
    const result = parseQueueConfig({ ...valid, priority: 'alta', name: undefined });
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'name: campo requerido / required field',
      'priority: se esperaba un número / expected number',
    ]);
  });
});
