import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExcludedInteraction } from '../../../hub/src/billing/billing.contract.js';
import { canonicalInputJson } from '../../../hub/src/billing/statement/compute-inputs-hash.js';
import { computeStatement } from '../../../hub/src/billing/statement/compute-statement.js';
import { psIVoice, statementInput, usage } from './statement-fixtures.js';

const EXCLUDED: ExcludedInteraction[] = [
  { folio: 'F-0002', conversationId: null, callSid: 'CA2', problem: 'missing_recording', meters: ['ivr_time', 'agent_time'], seconds: 300, items: 0 },
  { folio: null, conversationId: 'c-9', callSid: null, problem: 'missing_transcript', meters: ['email_outbound'], seconds: 0, items: 1 },
  { folio: 'F-0001', conversationId: null, callSid: 'CA1', problem: 'missing_recording', meters: ['agent_time'], seconds: 120, items: 0 },
];

describe('computeStatement: the statement as a whole', () => {
  const base = statementInput({ usage: [psIVoice(260_000), usage({ meter: 'email_outbound', items: 2, weightedPct: 150 })], excluded: EXCLUDED });

  it('carries the campaign, month, card and currency, and lists exclusions sorted (folio, conversation, call)', () => {
    const statement = computeStatement(base);
    expect(statement).toMatchObject({ campaignId: base.campaignId, month: '2026-11', status: 'open', timeZone: 'America/Mexico_City', currency: 'MXN', rateCard: { id: base.rateCard.id, version: 1 } });
    // null folio sorts first (''), then F-0001, F-0002; meters in catalogue order (agent_time before ivr_time).
    expect(statement.excluded.map((e) => [e.folio, e.meters])).toEqual([
      [null, ['email_outbound']],
      ['F-0001', ['agent_time']],
      ['F-0002', ['agent_time', 'ivr_time']],
    ]);
  });

  it('inputsHash is the sha256 of the canonical input: order-free for facts, sensitive to any figure', () => {
    const statement = computeStatement(base);
    expect(statement.inputsHash).toBe(createHash('sha256').update(canonicalInputJson(base)).digest('hex'));
    expect(statement.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { ...base, usage: [...base.usage].reverse(), excluded: [...EXCLUDED].reverse() };
    expect(computeStatement(reordered).inputsHash).toBe(statement.inputsHash);
    // One millisecond more of PS-I time: same bill (4 min), different inputs → different hash.
    const changed = { ...base, usage: [psIVoice(260_001), ...base.usage.slice(1)] };
    const other = computeStatement(changed);
    expect(other.subtotalCents).toBe(statement.subtotalCents);
    expect(other.inputsHash).not.toBe(statement.inputsHash);
    // The card's concept order is meaning (ties, line order): reversing it changes the hash.
    const card = base.rateCard.card;
    const reversedCard = { ...base, rateCard: { ...base.rateCard, card: { ...card, concepts: [...card.concepts].reverse() } } };
    expect(computeStatement(reversedCard).inputsHash).not.toBe(statement.inputsHash);
  });

  it('re-running the same input gives an identical statement', () => {
    expect(computeStatement(base)).toEqual(computeStatement(structuredClone(base)));
  });
});
