import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCampaignRouting } from './campaign-routing.schema.js';
import { effectiveRequirements, settleOverflow, startOverflow } from './overflow.js';
import { parseQueueConfig, type QueueConfig } from './queue-config.schema.js';
import { CAMPAIGN, SKILL } from './routing-config.fixtures.js';
import { validateRouting } from './validate-routing.js';

/** The README's example, parsed and run, so the document cannot drift from the code. */
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m): unknown => JSON.parse(m[1] ?? 'null'));

function queuesFromReadme(): { id: string; config: QueueConfig }[] {
  const raw = z.array(z.object({ id: z.uuid(), config: z.unknown() })).parse(blocks[1]);
  return raw.map((entry) => {
    const parsed = parseQueueConfig(entry.config);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return { id: entry.id, config: parsed.value };
  });
}

describe('README example (Derechohabientes)', () => {
  const queues = queuesFromReadme();
  const [general, citas, pensiones] = queues;
  const S = 1000;
  const T0 = Date.UTC(2026, 2, 3, 16, 0, 0); // 10:00 in Mexico City

  it('campaign settings parse', () => {
    expect(parseCampaignRouting(blocks[0]).ok).toBe(true);
  });

  it('queues pass cross-object validation with no problem at all', () => {
    expect(queues.map((q) => q.config.name)).toEqual(['General', 'Citas médicas', 'Pensiones']);
    expect(validateRouting({ campaignId: CAMPAIGN, skillIds: Object.values(SKILL), queues: queues.map((q) => ({ ...q, campaignId: CAMPAIGN })) })).toEqual([]);
  });

  it('Citas médicas overflows to General at 120 s; Pensiones relaxes 3 → 2 at 300 s', () => {
    if (!general || !citas || !pensiones) throw new Error('three queues');
    const configs = new Map(queues.map((q) => [q.id, q.config]));
    const fromCitas = settleOverflow(configs, startOverflow(citas.id, T0), T0 + 120 * S, () => null);
    expect(fromCitas.position).toMatchObject({ queueId: general.id, relaxedLevels: 0 });
    expect(fromCitas.next).toEqual({ kind: 'done' });

    expect(settleOverflow(configs, startOverflow(pensiones.id, T0), T0 + 299 * S, () => null).applied).toEqual([]);
    const fromPensiones = settleOverflow(configs, startOverflow(pensiones.id, T0), T0 + 300 * S, () => 10 * 60 * S);
    expect(fromPensiones.position).toMatchObject({ queueId: pensiones.id, relaxedLevels: 1 });
    expect(effectiveRequirements(pensiones.config, fromPensiones.position.relaxedLevels)).toEqual([{ skillId: SKILL.pensiones, minLevel: 2 }]);
    expect(fromPensiones.next).toEqual({ kind: 'on_estimate', stepIndex: 1, thresholdMs: 1200 * S });
  });
});
