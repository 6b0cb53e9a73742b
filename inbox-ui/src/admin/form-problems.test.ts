import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from '../api/api-error.js';
import { formatProblems, type RoutingProblem } from '../../../hub/src/router/config/routing-problem.js';
import { validateRouting } from '../../../hub/src/router/config/validate-routing.js';
import { parseQueueConfig, type QueueConfig } from '../../../hub/src/router/config/queue-config.schema.js';
import { checkInt, isUnder, mergeMessages, messagesUnder, normalizePath, parseIntStrict, serverFeedback, translateProblems, unclaimedMessages, warningMessages } from './form-problems.js';

function response(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** The body the hub's routing routes send for invalid configuration (routing-admin.routes.ts `invalid`). */
function routingInvalid(problems: RoutingProblem[]) {
  const errors = problems.filter((p) => p.severity === 'error');
  return { error: { code: 'HUB_ERR_ROUTING_INVALID', message: formatProblems(errors.length > 0 ? errors : problems), details: { problems }, requestId: 'r1' } };
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const queue = (name: string, moveTo: string): QueueConfig => {
  const parsed = parseQueueConfig({
    name,
    priority: 1,
    requiredSkills: [],
    strategy: 'longest_idle',
    channelClasses: ['text'],
    overflow: [{ trigger: { afterSeconds: 60 }, action: { moveToQueueId: moveTo } }],
    afterHours: { mode: 'keep_queued', message: { es: 'x' } },
  });
  if (!parsed.ok) throw new Error('fixture');
  return parsed.value;
};

describe('server feedback', () => {
  it('puts an overflow cycle found by the hub on the step’s target, in the current language', async () => {
    const problems = validateRouting({ campaignId: C, skillIds: [], queues: [{ id: A, campaignId: C, config: queue('Primera', B) }, { id: B, campaignId: C, config: queue('Segunda', A) }] }).filter((p) => p.queueId === A);
    const error = await apiErrorFrom(response(400, routingInvalid(problems)));
    const es = serverFeedback(error, 'es-MX', 'sin red');
    expect(es.errors['overflow.0.action.moveToQueueId']).toEqual(['ciclo de desborde: Primera → Segunda → Primera']);
    expect(es.general).toBe('overflow.0.action.moveToQueueId: ciclo de desborde: Primera → Segunda → Primera');
    expect(serverFeedback(error, 'en', 'offline').errors['overflow.0.action.moveToQueueId']).toEqual(['overflow cycle: Primera → Segunda → Primera']);
  });

  it('keeps warnings apart from errors', async () => {
    const error = await apiErrorFrom(
      response(
        400,
        routingInvalid([
          { path: 'overflow.1.trigger.afterSeconds', message: 'debe ser mayor que 60 s del paso 0 / must be greater than step 0’s 60 s', severity: 'error' },
          { path: 'overflow.0.action.relaxLevels', message: 'relaja más de lo posible / relaxes more than possible', severity: 'warning' },
        ]),
      ),
    );
    const feedback = serverFeedback(error, 'en', '');
    expect(feedback.errors).toEqual({ 'overflow.1.trigger.afterSeconds': ['must be greater than step 0’s 60 s'] });
    expect(feedback.warnings).toEqual({ 'overflow.0.action.relaxLevels': ['relaxes more than possible'] });
  });

  it('reads Fastify’s validation details (users, campaigns) without the body. prefix', async () => {
    const error = await apiErrorFrom(
      response(400, {
        error: {
          code: 'HUB_ERR_VALIDATION',
          message: 'Solicitud inválida / invalid request — body.password: mínimo 12 caracteres / at least 12 characters',
          details: [{ path: 'body.password', message: 'mínimo 12 caracteres / at least 12 characters' }],
          requestId: 'r2',
        },
      }),
    );
    expect(serverFeedback(error, 'es-MX', '').errors).toEqual({ password: ['mínimo 12 caracteres'] });
    expect(normalizePath('body')).toBe('');
  });

  it('falls back to the message, or to the offline text for a network failure', async () => {
    const conflict = await apiErrorFrom(response(409, { error: { code: 'HUB_ERR_CONFLICT', message: 'Ya existe una fila «X» en la campaña / a queue named "X" already exists in this campaign', requestId: 'r3' } }));
    expect(serverFeedback(conflict, 'es-MX', '')).toEqual({ general: 'Ya existe una fila «X» en la campaña', errors: {}, warnings: {} });
    expect(serverFeedback(new TypeError('Failed to fetch'), 'es-MX', 'Sin conexión').general).toBe('Sin conexión');
    const proxy = await apiErrorFrom(new Response('<html>', { status: 502 }));
    expect(serverFeedback(proxy, 'en', 'x').general).toBe('HTTP 502');
  });

  it('localises warnings of a successful save', () => {
    expect(warningMessages([{ path: 'text', message: 'el agente atiende 5 / the agent holds 5' }], 'en')).toEqual({ text: ['the agent holds 5'] });
  });
});

describe('messages by path', () => {
  const messages = mergeMessages({ 'overflow.0.trigger.afterSeconds': ['a'], name: ['b'] }, { 'overflow.0.trigger.afterSeconds': ['a', 'c'], 'overflow.10': ['d'], '': ['e'] });

  it('merges without repeating and finds what lies under a prefix', () => {
    expect(messages['overflow.0.trigger.afterSeconds']).toEqual(['a', 'c']);
    expect(messagesUnder(messages, 'overflow.0')).toEqual(['a', 'c']);
    expect(messagesUnder(messages, 'overflow.1')).toEqual([]);
    expect(isUnder('overflow.10', 'overflow.1')).toBe(false);
  });

  it('lists what no field claims, with a readable path', () => {
    expect(unclaimedMessages(messages, ['name', 'overflow.0'], (p) => (p.startsWith('overflow.') ? 'Paso 11' : null))).toEqual(['Paso 11: d', 'e']);
  });

  it('translates browser problems', () => {
    expect(translateProblems({ priority: { key: 'v.range', values: { min: 1, max: 99 } } }, (key, values) => `${key}:${JSON.stringify(values)}`)).toEqual({ priority: ['v.range:{"min":1,"max":99}'] });
  });

  it('parses whole numbers strictly', () => {
    expect(['12', ' 7 ', '-3', '1.5', '1e3', '', 'abc'].map(parseIntStrict)).toEqual([12, 7, -3, null, null, null, null]);
    expect(checkInt('', 1, 5)).toEqual({ key: 'v.required' });
    expect(checkInt('', 1, 5, false)).toBeNull();
    expect(checkInt('6', 1, 5)).toEqual({ key: 'v.range', values: { min: 1, max: 5 } });
    expect(checkInt('x', 1, 5)).toEqual({ key: 'v.integer' });
  });
});
