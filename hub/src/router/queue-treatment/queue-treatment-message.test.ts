import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type QueueTreatmentDisplay,
  type TreatmentLocale,
  queueTreatmentDisplay,
  queueTreatmentMessage,
  shouldNotify,
  treatmentLocaleFor,
} from './queue-treatment-message.js';

const MIN = 60_000;

describe('queueTreatmentMessage', () => {
  it('tells the place and the wait, in Spanish by default and in English', () => {
    const display = queueTreatmentDisplay(3, 2 * MIN);
    expect(queueTreatmentMessage(display)).toBe('Su lugar en la fila es 3; tiempo estimado de espera: 2 min.');
    expect(queueTreatmentMessage(display, 'en')).toBe('You are number 3 in line; estimated wait: 2 min.');
  });

  it('says "next" at position 1 and "less than a minute" rather than 0 min', () => {
    const display = queueTreatmentDisplay(1, 20_000);
    expect(queueTreatmentMessage(display)).toBe('Usted es la siguiente persona en la fila; tiempo estimado de espera: menos de 1 min.');
    expect(queueTreatmentMessage(display, 'en')).toBe('You are next in line; estimated wait: less than 1 min.');
  });

  it('promises "shortly" when the wait is unknown', () => {
    expect(queueTreatmentMessage(queueTreatmentDisplay(4, null))).toBe('Su lugar en la fila es 4; en breve le atenderemos.');
    expect(queueTreatmentMessage(queueTreatmentDisplay(1, null), 'en')).toBe('You are next in line; we will be with you shortly.');
  });

  it('writes long waits in hours and minutes', () => {
    expect(queueTreatmentMessage(queueTreatmentDisplay(40, 70 * MIN))).toBe('Su lugar en la fila es 40; tiempo estimado de espera: 1 h 15 min.');
  });

  it('never says 0 min or 0 h while the contact waits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.option(fc.double({ min: 0, max: 48 * 60 * MIN, noNaN: true }), { nil: null }),
        fc.constantFrom<TreatmentLocale>('es-MX', 'en'),
        (position, ms, locale) => {
          expect(queueTreatmentMessage(queueTreatmentDisplay(position, ms), locale)).not.toMatch(/(^|\D)0 (min|h)/);
        },
      ),
    );
  });
});

describe('treatmentLocaleFor', () => {
  it('is English only for English tags, Spanish otherwise', () => {
    expect(treatmentLocaleFor('en-US')).toBe('en');
    expect(treatmentLocaleFor('EN')).toBe('en');
    expect(treatmentLocaleFor('es-MX')).toBe('es-MX');
    expect(treatmentLocaleFor('nah')).toBe('es-MX');
    expect(treatmentLocaleFor(undefined)).toBe('es-MX');
  });
});

describe('shouldNotify', () => {
  const T = 1_000_000;
  const sent = (position: number, ms: number | null, sentAt = T) => ({ display: queueTreatmentDisplay(position, ms), sentAt });

  it('always sends the first treatment', () => {
    expect(shouldNotify(null, queueTreatmentDisplay(5, 3 * MIN), T)).toBe(true);
  });

  it('does not resend what the contact already reads, however long ago', () => {
    // 2.1 and 2.9 min both read "3 min".
    expect(shouldNotify(sent(3, 2.1 * MIN), queueTreatmentDisplay(3, 2.9 * MIN), T + 60 * MIN)).toBe(false);
  });

  it('sends a change once the minimum interval has passed, not before', () => {
    const previous = sent(5, 4 * MIN);
    expect(shouldNotify(previous, queueTreatmentDisplay(4, 3 * MIN), T + 59_999)).toBe(false);
    expect(shouldNotify(previous, queueTreatmentDisplay(4, 3 * MIN), T + MIN)).toBe(true);
    expect(shouldNotify(previous, queueTreatmentDisplay(5, 6 * MIN), T + MIN)).toBe(true);
  });

  it('tells a contact at once that they are next', () => {
    expect(shouldNotify(sent(2, MIN), queueTreatmentDisplay(1, 30_000), T + 1_000)).toBe(true);
    // Already told they were next: a wait change alone waits for the interval.
    expect(shouldNotify(sent(1, 30_000), queueTreatmentDisplay(1, 2 * MIN), T + 1_000)).toBe(false);
  });

  it('takes the interval from the options', () => {
    expect(shouldNotify(sent(5, 4 * MIN), queueTreatmentDisplay(4, 3 * MIN), T + 10_000, { minIntervalMs: 10_000 })).toBe(true);
  });

  it('is false for an identical display, whatever the time', () => {
    const displayArb: fc.Arbitrary<QueueTreatmentDisplay> = fc
      .tuple(fc.integer({ min: 1, max: 500 }), fc.option(fc.double({ min: 0, max: 24 * 60 * MIN, noNaN: true }), { nil: null }))
      .map(([position, ms]) => queueTreatmentDisplay(position, ms));
    fc.assert(
      fc.property(displayArb, fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }), (display, sentAt, now) => {
        expect(shouldNotify({ display, sentAt }, { ...display, wait: { ...display.wait } }, now)).toBe(false);
      }),
    );
  });
});
