import type { RateConcept, UsageMeter, UsageSelector } from '../billing.contract.js';

/** The dimensions a usage total (or an agent-day, with no kind or direction) carries. */
export interface UsageDimensions {
  readonly meter: UsageMeter;
  readonly seatType: 'PS-I' | 'PS-P' | null;
  readonly tier: 1 | 2 | null;
  readonly channelClass: 'voice' | 'text' | 'email' | null;
  readonly channelKind: string | null;
  readonly direction: 'inbound' | 'outbound' | null;
}

const SELECTOR_FIELDS = ['seatType', 'tier', 'channelClass', 'channelKind', 'direction'] as const;

/** Meter equal, and every field the selector sets equal to the total's dimension (absent = any). */
export function selectorMatches(selector: UsageSelector, dims: UsageDimensions): boolean {
  if (selector.meter !== dims.meter) return false;
  return SELECTOR_FIELDS.every((field) => selector[field] === undefined || selector[field] === dims[field]);
}

/** How many dimension filters the selector sets: the most specific matching concept wins. */
export function specificity(selector: UsageSelector): number {
  return SELECTOR_FIELDS.filter((field) => selector[field] !== undefined).length;
}

/**
 * The card index of the concept that bills these dimensions, or null (unpriced). Among several
 * matches the one with the most set fields wins; ties go to the first in card order.
 */
export function matchConcept(concepts: readonly RateConcept[], dims: UsageDimensions): number | null {
  let best: number | null = null;
  let bestScore = -1;
  concepts.forEach((concept, index) => {
    if (!concept.usage || !selectorMatches(concept.usage, dims)) return;
    const score = specificity(concept.usage);
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });
  return best;
}

const CLASS_ES: Record<'voice' | 'text' | 'email', string> = { voice: 'voz', text: 'texto', email: 'correo' };
const DIRECTION_ES: Record<'inbound' | 'outbound', string> = { inbound: 'entrante', outbound: 'saliente' };

/** «agent_time · PS-P · nivel 2 · voz · whatsapp · entrante» (only the dimensions present). */
export function describeDimensions(dims: UsageDimensions): string {
  const parts: string[] = [dims.meter];
  if (dims.seatType) parts.push(dims.seatType);
  if (dims.tier !== null) parts.push(`nivel ${dims.tier}`);
  if (dims.channelClass) parts.push(CLASS_ES[dims.channelClass]);
  if (dims.channelKind) parts.push(dims.channelKind);
  if (dims.direction) parts.push(DIRECTION_ES[dims.direction]);
  return parts.join(' · ');
}
