import { describe, expect, it } from 'vitest';
import { agent, queue, queuesById, T0, waiting } from '../core/router-core.fixtures.js';
import { estimateWait, shouldOverflow } from './estimated-wait.js';
import { queuePosition } from './queue-position.js';
import { queueStaffing } from './queue-staffing.js';
import { queueTreatmentDisplay, queueTreatmentMessage } from './queue-treatment-message.js';

const MIN = 60_000;

/** The README's worked examples, end to end, so the document cannot drift from the code. */
describe('README worked examples', () => {
  const pensiones = queue('pensiones', { pensions: 3 }, 'longest_idle', 50);
  const urgente = queue('urgente', { pensions: 4 }, 'longest_idle', 1);
  const queues = queuesById(pensiones, urgente);
  const line = [
    ...Array.from({ length: 8 }, (_, i) => waiting(`p${i + 1}`, 'pensiones', { enqueuedAt: T0 - (100 - i) * 1000 })),
    waiting('u1', 'urgente', { enqueuedAt: T0 - 1000 }),
  ];
  const full = { load: { text: 4 } };
  const shift = [agent('senior', { pensions: 4 }, full), agent('b', { pensions: 3 }, full), agent('c', { pensions: 3 }, full)];

  const tell = (agents: typeof shift, recentCompletions: number): string => {
    const position = queuePosition('p8', line, queues, agents);
    if (position === null) throw new Error('p8 is waiting');
    const staffing = queueStaffing(agents, pensiones, 'text');
    const ewt = estimateWait({
      position,
      channelClass: 'text',
      staffing,
      averageHandleTimeMs: 6 * MIN,
      recentCompletions: { completions: recentCompletions, windowMs: 15 * MIN },
    });
    return queueTreatmentMessage(queueTreatmentDisplay(position, ewt?.ms ?? null));
  };

  it('1. mixed queues: position 9, 9 × 6 ÷ 12 = 4.5 → 5 min; by rate 9 ÷ 1.6 = 5.6 → 6 min', () => {
    expect(tell(shift, 6)).toBe('Su lugar en la fila es 9; tiempo estimado de espera: 5 min.');
    expect(tell(shift, 24)).toBe('Su lugar en la fila es 9; tiempo estimado de espera: 6 min.');
  });

  it('1. the level-4 agent at lunch: position 8, 8 × 6 ÷ 8 = 6 min', () => {
    const [senior, ...rest] = shift;
    if (senior === undefined) throw new Error('fixture');
    expect(tell([{ ...senior, state: 'lunch' }, ...rest], 6)).toBe('Su lugar en la fila es 8; tiempo estimado de espera: 6 min.');
  });

  it("2. the demo's 5th citizen: 1 × 6 ÷ 4 = 1.5 → 2 min", () => {
    const general = queue('general', {});
    // Citizens 1–4 are already being served; only the 5th waits.
    const citizens = [waiting('c5', 'general')];
    const agents = [agent('only', {}, full)];
    const position = queuePosition('c5', citizens, queuesById(general), agents) ?? 0;
    const ewt = estimateWait({ position, channelClass: 'text', staffing: queueStaffing(agents, general, 'text') });
    expect(queueTreatmentMessage(queueTreatmentDisplay(position, ewt?.ms ?? null))).toBe(
      'Usted es la siguiente persona en la fila; tiempo estimado de espera: 2 min.',
    );
  });

  it('3. phone: 4 × 5 ÷ 2 = 10 min, over an 8-minute overflow rule', () => {
    const ewt = estimateWait({ position: 4, channelClass: 'voice', staffing: { agents: 2, sessions: 2 }, averageHandleTimeMs: 5 * MIN });
    expect(ewt?.ms).toBe(10 * MIN);
    expect(shouldOverflow(ewt?.ms ?? null, { maxEstimatedWaitMs: 8 * MIN })).toBe(true);
  });
});
