import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findOverflowCycles } from './overflow-graph.js';
import { applyOverflowStep, effectiveRequirements, nextOverflowStep, settleOverflow, startOverflow } from './overflow.js';
import type { OverflowStep, QueueConfig } from './queue-config.schema.js';
import { CAMPAIGN, queueConfig, uuid } from './routing-config.fixtures.js';
import { validateRouting } from './validate-routing.js';

const T0 = Date.UTC(2026, 0, 5, 14, 0, 0);

/** Random directed graphs over up to 8 queues, self-loops and parallel edges included. */
const graphArb = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }),
);
const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => uuid(0x100 + i));
const toGraph = (adjacency: number[][]): Map<string, string[]> => {
  const names = ids(adjacency.length);
  return new Map(adjacency.map((out, i) => [names[i] ?? '', out.map((j) => names[j] ?? '')]));
};

/** Reference written apart from Tarjan: a node lies on a cycle iff it can reach itself. */
function reachesItself(graph: ReadonlyMap<string, readonly string[]>, start: string): boolean {
  const seen = new Set<string>();
  const todo = [...(graph.get(start) ?? [])];
  while (todo.length > 0) {
    const node = todo.pop();
    if (node === undefined) break;
    if (node === start) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    todo.push(...(graph.get(node) ?? []));
  }
  return false;
}

/** Reference: classic recursive three-colour DFS. */
function hasCycleDfs(graph: ReadonlyMap<string, readonly string[]>): boolean {
  const colour = new Map<string, 'grey' | 'black'>();
  const visit = (node: string): boolean => {
    colour.set(node, 'grey');
    for (const next of graph.get(node) ?? []) {
      if (colour.get(next) === 'grey') return true;
      if (colour.get(next) === undefined && visit(next)) return true;
    }
    colour.set(node, 'black');
    return false;
  };
  return [...graph.keys()].some((node) => colour.get(node) === undefined && visit(node));
}

describe('overflow cycle detection (property)', () => {
  it('agrees with a reference DFS, and every example cycle is a real closed walk', () => {
    fc.assert(
      fc.property(graphArb, (adjacency) => {
        const graph = toGraph(adjacency);
        const report = findOverflowCycles(graph);
        expect(report.cycles.length > 0).toBe(hasCycleDfs(graph));
        expect([...report.onCycle].sort()).toEqual([...graph.keys()].filter((q) => reachesItself(graph, q)).sort());
        for (const cycle of report.cycles) {
          expect(cycle[0]).toBe(cycle.at(-1));
          cycle.slice(0, -1).forEach((from, i) => expect(graph.get(from)).toContain(cycle[i + 1]));
        }
      }),
    );
  });

  it('validateRouting reports an overflow cycle exactly when the reference DFS finds one', () => {
    fc.assert(
      fc.property(graphArb, (adjacency) => {
        const graph = toGraph(adjacency);
        const queues = [...graph].map(([id, targets]) => ({
          id,
          campaignId: CAMPAIGN,
          config: queueConfig({ name: id, requiredSkills: [], overflow: targets.map((t, i) => ({ trigger: { afterSeconds: 60 * (i + 1) }, action: { moveToQueueId: t } })) }),
        }));
        const problems = validateRouting({ campaignId: CAMPAIGN, skillIds: [], queues });
        expect(problems.some((p) => p.message.startsWith('ciclo de desborde'))).toBe(hasCycleDfs(graph));
      }),
    );
  });
});

const stepArb = (queueIds: readonly string[]): fc.Arbitrary<OverflowStep> =>
  fc.record({
    trigger: fc.oneof(fc.record({ afterSeconds: fc.integer({ min: 1, max: 3_600 }) }), fc.record({ estimatedWaitOverSeconds: fc.integer({ min: 1, max: 3_600 }) })),
    action: queueIds.length > 0 ? fc.oneof(fc.record({ relaxLevels: fc.integer({ min: 1, max: 4 }) }), fc.record({ moveToQueueId: fc.constantFrom(...queueIds) })) : fc.record({ relaxLevels: fc.integer({ min: 1, max: 4 }) }),
  });

describe('overflow steps (property)', () => {
  it('applying steps in one queue never raises a required level, nor takes one below 1', () => {
    const requirementsArb = fc.uniqueArray(fc.record({ skillId: fc.integer({ min: 1, max: 30 }).map(uuid), minLevel: fc.integer({ min: 1, max: 5 }) }), { selector: (r) => r.skillId, maxLength: 4 });
    fc.assert(
      fc.property(requirementsArb, fc.array(stepArb([]), { maxLength: 8 }), (requiredSkills, overflow) => {
        const config = queueConfig({ requiredSkills, overflow });
        let position = startOverflow(uuid(1), T0);
        let levels = effectiveRequirements(config, 0).map((r) => r.minLevel);
        expect(levels).toEqual(requiredSkills.map((r) => r.minLevel));
        for (const step of overflow) {
          position = applyOverflowStep(position, step, T0).position;
          const next = effectiveRequirements(config, position.relaxedLevels).map((r) => r.minLevel);
          next.forEach((level, i) => {
            expect(level).toBeLessThanOrEqual(levels[i] ?? Infinity);
            expect(level).toBeGreaterThanOrEqual(1);
          });
          levels = next;
        }
      }),
    );
  });

  it('due times are monotone: along a validated list, and in the clock (due stays due, dueAt never moves)', () => {
    const increasing = fc.array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.boolean()), { maxLength: 8 }).map((parts) => {
      let at = 0;
      return parts.map(([gap, byEstimate]): OverflowStep => {
        if (byEstimate) return { trigger: { estimatedWaitOverSeconds: gap }, action: { relaxLevels: 1 } };
        at += gap;
        return { trigger: { afterSeconds: at }, action: { relaxLevels: 1 } };
      });
    });
    fc.assert(
      fc.property(increasing, fc.array(fc.integer({ min: 0, max: 7_200_000 }), { minLength: 2, maxLength: 6 }), (overflow, offsets) => {
        const config = { overflow };
        const dueTimes = overflow.map((_, k) => nextOverflowStep(config, { enqueuedAt: T0, stepsApplied: k, now: T0, estimatedWaitMs: null })).flatMap((d) => (d.kind === 'scheduled' ? [d.dueAt] : []));
        dueTimes.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(dueTimes[i] ?? -Infinity));
        for (let k = 0; k <= overflow.length; k += 1) {
          const decisions = [...offsets].sort((a, b) => a - b).map((offset) => nextOverflowStep(config, { enqueuedAt: T0, stepsApplied: k, now: T0 + offset, estimatedWaitMs: null }));
          const firstDue = decisions.findIndex((d) => d.kind === 'due');
          if (firstDue >= 0) expect(decisions.slice(firstDue).every((d) => d.kind === 'due')).toBe(true);
          const scheduledAt = new Set(decisions.flatMap((d) => (d.kind === 'scheduled' ? [d.dueAt] : [])));
          expect(scheduledAt.size).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('settleOverflow terminates on any graph (cycles included) and never re-enters a queue it left', () => {
    const world = fc.integer({ min: 1, max: 6 }).chain((n) => {
      const queueIds = ids(n);
      return fc.record({
        overflows: fc.array(fc.array(stepArb([...queueIds, uuid(0x999)]), { maxLength: 4 }), { minLength: n, maxLength: n }),
        estimates: fc.array(fc.option(fc.integer({ min: 0, max: 7_200_000 }), { nil: null }), { minLength: n, maxLength: n }),
        elapsed: fc.integer({ min: 0, max: 7_200_000 }),
      }).map((w) => ({ ...w, queueIds }));
    });
    fc.assert(
      fc.property(world, ({ queueIds, overflows, estimates, elapsed }) => {
        const configs = new Map<string, Pick<QueueConfig, 'overflow'>>(queueIds.map((id, i) => [id, { overflow: overflows[i] ?? [] }]));
        const start = startOverflow(queueIds[0] ?? '', T0);
        const estimateOf = (id: string): number | null => estimates[queueIds.indexOf(id)] ?? null;
        const settled = settleOverflow(configs, start, T0 + elapsed, estimateOf);
        const totalSteps = overflows.reduce((sum, o) => sum + o.length, 0);
        expect(settled.applied.length).toBeLessThanOrEqual(totalSteps);
        const path = [...settled.position.visitedQueueIds, settled.position.queueId];
        expect(new Set(path).size).toBe(path.length);
        // Settled means settled: asking again at the same instant changes nothing.
        expect(settleOverflow(configs, settled.position, T0 + elapsed, estimateOf).applied).toEqual([]);
      }),
    );
  });
});
