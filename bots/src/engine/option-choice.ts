import type { TurnInput } from '../engine.contract.js';
import { foldForCompare } from './engine-texts.js';

const OPTION_NUMBER = /^\s*(?:opci[oó]n\s*)?(\d{1,2})\s*[.)]?\s*$/i;

/**
 * The offered option the citizen chose: by reply id (a tapped button or list row), by its number
 * ("2", "opción 2": what a channel without buttons shows), or by one of its titles typed out
 * (case and accents do not matter).
 */
export function chosenOption<T extends { id: string }>(options: readonly T[], input: TurnInput, titles: (option: T) => string[]): T | null {
  if (input.replyId !== undefined) {
    const byId = options.find((o) => o.id === input.replyId);
    if (byId) return byId;
  }
  const number = OPTION_NUMBER.exec(input.text);
  if (number) return options[Number(number[1]) - 1] ?? null;
  const folded = foldForCompare(input.text);
  if (folded === '') return null;
  return options.find((o) => titles(o).some((t) => foldForCompare(t) === folded)) ?? null;
}
