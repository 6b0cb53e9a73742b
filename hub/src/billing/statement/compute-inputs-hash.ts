import { createHash } from 'node:crypto';
import type { StatementInput } from './statement-input.js';

/**
 * `inputsHash`: sha256 of a canonical JSON of the input — object keys sorted, and every list of
 * facts (usage, agent-days, occupancy, SLA deductions, penalties, history, excluded and each
 * exclusion's meters) sorted by its canonical text — so the same facts loaded in another order
 * hash the same (re-running an open month). The rate card keeps its order: card order decides
 * matching ties and line order, so two cards in different orders are different inputs.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Sorted key lists per key set: fact lists repeat one shape thousands of times. */
const sortedKeysCache = new Map<string, string[]>();

function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  const signature = keys.join('\u0000');
  let sorted = sortedKeysCache.get(signature);
  if (!sorted) {
    sorted = [...keys].sort();
    if (sortedKeysCache.size < 256) sortedKeysCache.set(signature, sorted);
  }
  return sorted;
}

/** Any value with object keys sorted; arrays keep their order (the rate card's order is meaning). */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonical(item)).join(',')}]`;
  }
  if (typeof value === 'object') {
    let text = '';
    for (const key of sortedKeys(value)) {
      const v: unknown = Reflect.get(value, key);
      if (v === undefined) continue;
      text += `${text ? ',' : ''}${JSON.stringify(key)}:${canonical(v)}`;
    }
    return `{${text}}`;
  }
  const json: Json = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? value : String(value);
  return JSON.stringify(json);
}

/**
 * A list of flat facts: each one as JSON with its keys sorted (JSON.stringify's key list is
 * native and fast on thousands of agent-days), then the texts sorted.
 */
function canonicalFacts(list: readonly object[]): string {
  const items = list.map((item) => JSON.stringify(item, sortedKeys(item)));
  items.sort();
  return `[${items.join(',')}]`;
}

/** The canonical text that is hashed (exported for tests and for auditors who redo the hash). */
export function canonicalInputJson(input: StatementInput): string {
  const { rateCard, usage, agentDays, occupancy, slaDeductions, penalties, history, excluded, ...scalars } = input;
  const parts: Record<string, string> = {
    agentDays: canonicalFacts(agentDays),
    excluded: canonicalFacts(excluded.map((e) => ({ ...e, meters: [...e.meters].sort() }))),
    history: canonicalFacts(history),
    occupancy: canonicalFacts(occupancy),
    penalties: canonicalFacts(penalties),
    rateCard: canonical(rateCard),
    scalars: canonical(scalars),
    slaDeductions: canonicalFacts(slaDeductions),
    usage: canonicalFacts(usage),
  };
  return `{${Object.keys(parts)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${parts[key] ?? 'null'}`)
    .join(',')}}`;
}

export function computeInputsHash(input: StatementInput): string {
  return createHash('sha256').update(canonicalInputJson(input)).digest('hex');
}
