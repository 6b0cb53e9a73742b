import type { UtteranceIssue } from '../engine.contract.js';

/** Longer messages are no question for the classifier (pasted documents, spam): the engine says so. */
export const MAX_UTTERANCE_CHARS = 1000;

export type CheckedUtterance = { ok: true; text: string } | { ok: false; issue: UtteranceIssue; text: string };

/** Trimmed text, or why it cannot be classified: empty, too long, or no letter/digit at all (emoji, "???"). */
export function checkUtterance(raw: string): CheckedUtterance {
  const text = raw.normalize('NFC').trim();
  if (text.length === 0) return { ok: false, issue: 'empty', text };
  if (text.length > MAX_UTTERANCE_CHARS) return { ok: false, issue: 'too_long', text };
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, issue: 'no_words', text };
  return { ok: true, text };
}
