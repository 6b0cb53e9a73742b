/**
 * Overflow moves as a directed graph between queues (queueId → queues its steps move to). A cycle
 * means a citizen can be bounced between queues for ever (issue 3: "overflow cycle → 400").
 */
export type OverflowGraph = ReadonlyMap<string, readonly string[]>;

export interface OverflowCycleReport {
  /** One example per strongly connected group, as a closed walk: [a, b, a]; a self-loop is [a, a]. */
  readonly cycles: readonly (readonly string[])[];
  /** Every queue that lies on some cycle. */
  readonly onCycle: ReadonlySet<string>;
}

/**
 * Tarjan's strongly connected components, iteratively so a long chain of queues cannot overflow
 * the call stack. A component is cyclic when it has two or more queues or a queue moving to itself.
 */
export function findOverflowCycles(graph: OverflowGraph): OverflowCycleReport {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const targets = (node: string): readonly string[] => graph.get(node) ?? [];

  // Sorted so the example cycles do not depend on the order the caller listed queues in.
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const frames: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) break;
      const out = targets(frame.node);
      const target = out[frame.next];
      if (target !== undefined) {
        frame.next += 1;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          frames.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(target) ?? 0));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }

  const cycles: string[][] = [];
  const onCycle = new Set<string>();
  for (const component of components) {
    const first = component.slice().sort()[0];
    if (first === undefined) continue;
    const isCyclic = component.length > 1 || targets(first).includes(first);
    if (!isCyclic) continue;
    for (const member of component) onCycle.add(member);
    cycles.push(shortestCycleThrough(first, new Set(component), targets));
  }
  cycles.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  return { cycles, onCycle };
}

/** Breadth-first inside one component, so the example shown to the administrator is the shortest. */
function shortestCycleThrough(start: string, component: ReadonlySet<string>, targets: (node: string) => readonly string[]): string[] {
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head];
    if (node === undefined) break;
    for (const target of [...targets(node)].sort()) {
      if (!component.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) path.push(at);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
