import { describe, expect, it } from 'vitest';
import { parseQueueConfig } from '../../../hub/src/router/config/queue-config.schema.js';
import type { AdminQueue, OverflowStep } from './admin-types.js';
import { emptyQueueForm, emptyStep, formToQueueBody, formToStep, moveItem, queuePathLabel, queueToForm, stepToForm, validateQueueForm } from './queue-form.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const SKILL = '33333333-3333-4333-8333-333333333333';

function view(overrides: Partial<AdminQueue> = {}): AdminQueue {
  return {
    id: A,
    campaignId: '44444444-4444-4444-8444-444444444444',
    name: 'Orientación general',
    priority: 10,
    requiredSkills: [{ skillId: SKILL, minLevel: 3 }],
    strategy: 'least_busy',
    maxWaitSeconds: 900,
    channelClasses: ['text', 'email'],
    overflow: [
      { trigger: { afterSeconds: 120 }, action: { relaxLevels: 1 } },
      { trigger: { estimatedWaitOverSeconds: 600 }, action: { moveToQueueId: B } },
    ],
    afterHours: { mode: 'offer_voicemail_or_callback', message: { es: 'Cerrado', en: 'Closed' } },
    tier: 1,
    isDefault: true,
    live: { waiting: 0, offered: 0, assigned: 0 },
    ...overrides,
  };
}

/** The body without the two queue-row extras, as parseQueueConfig sees it. */
const config = ({ tier: _t, isDefault: _d, ...rest }: ReturnType<typeof formToQueueBody>) => rest;

describe('overflow step form ↔ API', () => {
  it('round-trips each trigger and action', () => {
    const steps: OverflowStep[] = [
      { trigger: { afterSeconds: 30 }, action: { relaxLevels: 2 } },
      { trigger: { estimatedWaitOverSeconds: 300 }, action: { moveToQueueId: B } },
      { trigger: { afterSeconds: 86_400 }, action: { moveToQueueId: B } },
    ];
    for (const step of steps) expect(formToStep(stepToForm(step))).toEqual(step);
  });

  it('sends exactly one trigger and one action, whatever else the form remembers', () => {
    const form = { ...emptyStep(), seconds: '60', targetQueueId: B, relaxLevels: '2' };
    expect(formToStep(form)).toEqual({ trigger: { afterSeconds: 60 }, action: { relaxLevels: 2 } });
    expect(formToStep({ ...form, triggerKind: 'estimatedWaitOverSeconds', actionKind: 'moveToQueueId' })).toEqual({ trigger: { estimatedWaitOverSeconds: 60 }, action: { moveToQueueId: B } });
  });

  it('reorders steps', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
  });
});

describe('queue form ↔ API', () => {
  it('round-trips a stored queue into a body the hub accepts unchanged', () => {
    const body = formToQueueBody(queueToForm(view()));
    expect(body).toEqual({
      name: 'Orientación general',
      priority: 10,
      requiredSkills: [{ skillId: SKILL, minLevel: 3 }],
      strategy: 'least_busy',
      maxWaitSeconds: 900,
      channelClasses: ['text', 'email'],
      overflow: view().overflow,
      afterHours: { mode: 'offer_voicemail_or_callback', message: { es: 'Cerrado', en: 'Closed' } },
      tier: 1,
      isDefault: true,
    });
    const parsed = parseQueueConfig(config(body));
    expect(parsed.ok && parsed.value).toEqual(config(body));
  });

  it('omits an empty maximum wait and an empty English message', () => {
    const form = { ...queueToForm(view({ maxWaitSeconds: null, afterHours: { mode: 'close', message: { es: 'Cerrado' } } })), afterHoursEn: '  ' };
    const body = formToQueueBody(form);
    expect('maxWaitSeconds' in body).toBe(false);
    expect(body.afterHours).toEqual({ mode: 'close', message: { es: 'Cerrado' } });
    expect(parseQueueConfig(config(body)).ok).toBe(true);
  });

  it('starts a new queue valid for the hub once named', () => {
    const form = { ...emptyQueueForm(true), name: 'Nueva' };
    expect(validateQueueForm(form, { queueId: null, queueIds: new Set() })).toEqual({});
    expect(form.isDefault).toBe(true);
    expect(parseQueueConfig(config(formToQueueBody(form))).ok).toBe(true);
  });

  it('flags the obvious on the hub’s paths and leaves cross-queue rules to the hub', () => {
    const form = {
      ...queueToForm(view()),
      name: ' ',
      priority: '100',
      maxWaitSeconds: '1.5',
      channelClasses: [],
      requiredSkills: [
        { skillId: SKILL, minLevel: '3' },
        { skillId: SKILL, minLevel: '6' },
      ],
      overflow: [
        { ...emptyStep(), seconds: '' },
        { ...emptyStep(), seconds: '60', actionKind: 'moveToQueueId' as const, targetQueueId: A },
        { ...emptyStep(), seconds: '60', triggerKind: 'estimatedWaitOverSeconds' as const, actionKind: 'moveToQueueId' as const, targetQueueId: '' },
        { ...emptyStep(), seconds: '90', relaxLevels: '5' },
        { ...emptyStep(), seconds: '90', actionKind: 'moveToQueueId' as const, targetQueueId: '55555555-5555-4555-8555-555555555555' },
      ],
      afterHoursEs: '',
    };
    const problems = validateQueueForm(form, { queueId: A, queueIds: new Set([A, B]) });
    expect(Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]))).toEqual({
      name: 'v.required',
      priority: 'v.range',
      maxWaitSeconds: 'v.integer',
      channelClasses: 'v.channelClasses',
      'requiredSkills.1.skillId': 'v.duplicate',
      'requiredSkills.1.minLevel': 'v.range',
      'overflow.0.trigger.afterSeconds': 'v.required',
      'overflow.1.action.moveToQueueId': 'v.overflowSelf',
      'overflow.2.action.moveToQueueId': 'v.required',
      'overflow.3.action.relaxLevels': 'v.range',
      'overflow.4.action.moveToQueueId': 'v.unknownQueue',
      'afterHours.message.es': 'v.required',
    });
    // A two-queue cycle (A → B while B → A) is valid for each queue alone: the hub reports it.
    const cycleStep = { ...emptyStep(), seconds: '60', actionKind: 'moveToQueueId' as const, targetQueueId: B };
    expect(validateQueueForm({ ...queueToForm(view()), overflow: [cycleStep] }, { queueId: A, queueIds: new Set([A, B]) })).toEqual({});
  });

  it('says which field a hub path is about', () => {
    expect(queuePathLabel('overflow.1.action.moveToQueueId')).toEqual({ key: 'queues.pathStep', values: { n: 2 } });
    expect(queuePathLabel('requiredSkills.0.skillId')).toEqual({ key: 'queues.pathSkill', values: { n: 1 } });
    expect(queuePathLabel('afterHours.message.es')).toEqual({ key: 'afterHours.es' });
    expect(queuePathLabel('somethingElse')).toBeNull();
  });
});
