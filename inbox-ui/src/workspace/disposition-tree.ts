import type { DispositionCode } from '../api/api-types.js';
import { fold } from './workspace-state.js';

export interface CodeNode {
  code: DispositionCode;
  children: CodeNode[];
}

export const MAX_CODES = 5;

/** Active codes as a tree ordered by position; children of an inactive or missing parent are dropped. */
export function buildCodeTree(codes: readonly DispositionCode[]): CodeNode[] {
  const active = codes.filter((c) => c.active);
  const ids = new Set(active.map((c) => c.id));
  const byParent = new Map<string | null, DispositionCode[]>();
  for (const c of active) {
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : c.parentId === null ? null : undefined;
    if (parent === undefined) continue;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  const build = (parent: string | null, seen: Set<string>): CodeNode[] =>
    (byParent.get(parent) ?? [])
      .filter((c) => !seen.has(c.id))
      .sort((a, b) => a.position - b.position || a.label.localeCompare(b.label))
      .map((code) => ({ code, children: build(code.id, new Set([...seen, code.id])) }));
  return build(null, new Set());
}

/** Nodes whose label or code match, with the ancestors that lead to them. */
export function filterCodeTree(nodes: readonly CodeNode[], query: string): CodeNode[] {
  const q = fold(query.trim());
  if (q === '') return [...nodes];
  return nodes.flatMap((node) => {
    const self = fold(`${node.code.code} ${node.code.label}`).includes(q);
    const children = self ? node.children : filterCodeTree(node.children, query);
    return self || children.length > 0 ? [{ code: node.code, children }] : [];
  });
}

/** Toggle a code in the selection, never beyond MAX_CODES. */
export function toggleCode(selected: readonly string[], id: string): string[] {
  if (selected.includes(id)) return selected.filter((x) => x !== id);
  if (selected.length >= MAX_CODES) return [...selected];
  return [...selected, id];
}
