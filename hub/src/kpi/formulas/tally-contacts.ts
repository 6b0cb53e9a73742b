/**
 * Turns per-contact times into the counts the queue formulas divide (ASA, abandonment, service
 * level), applying the campaign's two thresholds in one place so every report agrees on them.
 */

export interface ContactTimes {
  /** Entered the queue (the IVR handed over); epoch ms. */
  readonly queuedAtMs: number;
  /** A human agent answered; null if never answered. */
  readonly answeredAtMs: number | null;
  /** The citizen hung up / left while waiting; null or absent if unknown. */
  readonly abandonedAtMs?: number | null;
}

export interface TallyOptions {
  /** Service-level threshold Y, default 20 s (SPEC §7; T&C L10213). */
  readonly serviceLevelThresholdMs?: number;
  /** Abandons with wait < this are "short" and excluded; default 0 (none excluded). */
  readonly shortAbandonThresholdMs?: number;
}

export interface ContactTally {
  /** All contacts that entered the queue. */
  readonly receivedGross: number;
  /** receivedGross − shortAbandoned: the denominator abandonment and SL-by-received use. */
  readonly received: number;
  readonly attended: number;
  /** Unanswered contacts that count as abandoned (short ones excluded). */
  readonly abandoned: number;
  readonly shortAbandoned: number;
  /** Answered with wait ≤ threshold (T&C counts "después de 20 s" as late, so 20 s is in). */
  readonly attendedWithinThreshold: number;
  readonly totalAnswerWaitMs: number;
  readonly serviceLevelThresholdMs: number;
  readonly shortAbandonThresholdMs: number;
}

export function tallyContacts(contacts: readonly ContactTimes[], options: TallyOptions = {}): ContactTally {
  const slThreshold = options.serviceLevelThresholdMs ?? 20_000;
  const shortThreshold = options.shortAbandonThresholdMs ?? 0;
  let attended = 0;
  let shortAbandoned = 0;
  let within = 0;
  let totalWait = 0;
  for (const contact of contacts) {
    if (contact.answeredAtMs !== null) {
      const wait = Math.max(0, contact.answeredAtMs - contact.queuedAtMs);
      attended += 1;
      totalWait += wait;
      if (wait <= slThreshold) within += 1;
    } else if (
      contact.abandonedAtMs !== undefined &&
      contact.abandonedAtMs !== null &&
      contact.abandonedAtMs - contact.queuedAtMs < shortThreshold
    ) {
      // An abandon without a known time cannot be proven short: it stays an abandon.
      shortAbandoned += 1;
    }
  }
  const received = contacts.length - shortAbandoned;
  return {
    receivedGross: contacts.length,
    received,
    attended,
    abandoned: received - attended,
    shortAbandoned,
    attendedWithinThreshold: within,
    totalAnswerWaitMs: totalWait,
    serviceLevelThresholdMs: slThreshold,
    shortAbandonThresholdMs: shortThreshold,
  };
}
