import { DISPOSITION_CODE_PATTERN, LABEL_MAX, MAX_DISPOSITION_DEPTH } from './admin-limits.js';
import type { DispositionCode } from './admin-types.js';
import type { ClientProblems } from './form-problems.js';

/**
 * The tipification tree as an administrator sees it: every code, active or not (codes are never
 * deleted, only deactivated), at most three levels, siblings ordered by position then code.
 */

export interface AdminCodeNode {
  code: DispositionCode;
  depth: number;
  /** Inactive itself or under an inactive ancestor: agents cannot pick it. */
  retired: boolean;
  children: AdminCodeNode[];
}

const bySiblingOrder = (a: DispositionCode, b: DispositionCode) => a.position - b.position || a.code.localeCompare(b.code);

/** Codes whose parent is missing (another campaign, a bad row) are shown at the root rather than lost. */
export function buildAdminTree(codes: readonly DispositionCode[]): AdminCodeNode[] {
  const ids = new Set(codes.map((c) => c.id));
  const byParent = new Map<string | null, DispositionCode[]>();
  for (const c of codes) {
    const parent = c.parentId !== null && ids.has(c.parentId) && c.parentId !== c.id ? c.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), c]);
  }
  const build = (parent: string | null, depth: number, parentRetired: boolean, seen: ReadonlySet<string>): AdminCodeNode[] =>
    (byParent.get(parent) ?? [])
      .filter((c) => !seen.has(c.id))
      .sort(bySiblingOrder)
      .map((code) => {
        const retired = parentRetired || !code.active;
        return { code, depth, retired, children: build(code.id, depth + 1, retired, new Set([...seen, code.id])) };
      });
  return build(null, 1, false, new Set());
}

/** Depth-first, in display order. */
export function flattenTree(nodes: readonly AdminCodeNode[]): AdminCodeNode[] {
  return nodes.flatMap((n) => [n, ...flattenTree(n.children)]);
}

/** 1 for a root code; 0 when the id is unknown. */
export function depthOf(codes: readonly DispositionCode[], id: string): number {
  const byId = new Map(codes.map((c) => [c.id, c]));
  let depth = 0;
  let node = byId.get(id);
  while (node && depth <= MAX_DISPOSITION_DEPTH + 1) {
    depth += 1;
    node = node.parentId === null ? undefined : byId.get(node.parentId);
  }
  return depth;
}

/** Codes that may take a child (depth below the maximum). */
export function canHaveChildren(codes: readonly DispositionCode[], id: string): boolean {
  const depth = depthOf(codes, id);
  return depth > 0 && depth < MAX_DISPOSITION_DEPTH;
}

/**
 * Moves `id` by `delta` among its siblings and renumbers them 0, 1, 2…; returns only the
 * positions that change (one PUT each).
 */
export function reorderSiblings(codes: readonly DispositionCode[], id: string, delta: number): { id: string; position: number }[] {
  const code = codes.find((c) => c.id === id);
  if (!code) return [];
  const siblings = codes.filter((c) => c.parentId === code.parentId).sort(bySiblingOrder);
  const from = siblings.findIndex((c) => c.id === id);
  const to = Math.max(0, Math.min(siblings.length - 1, from + delta));
  if (from === to) return [];
  const [moved] = siblings.splice(from, 1);
  siblings.splice(to, 0, moved as DispositionCode);
  return siblings.flatMap((c, position) => (c.position === position ? [] : [{ id: c.id, position }]));
}

export function validateNewCode(input: { parentId: string | null; code: string; label: string }, codes: readonly DispositionCode[]): ClientProblems {
  const problems: ClientProblems = {};
  const code = input.code.trim();
  if (code === '') problems['code'] = { key: 'v.required' };
  else if (!DISPOSITION_CODE_PATTERN.test(code)) problems['code'] = { key: 'v.dispositionCode' };
  else if (codes.some((c) => c.code === code)) problems['code'] = { key: 'v.duplicate' };
  const label = input.label.trim();
  if (label === '') problems['label'] = { key: 'v.required' };
  else if (label.length > LABEL_MAX) problems['label'] = { key: 'v.maxLength', values: { max: LABEL_MAX } };
  if (input.parentId !== null && !canHaveChildren(codes, input.parentId)) problems['parentId'] = { key: 'v.maxDepth', values: { max: MAX_DISPOSITION_DEPTH } };
  return problems;
}

export function validateLabel(label: string): ClientProblems {
  const trimmed = label.trim();
  if (trimmed === '') return { label: { key: 'v.required' } };
  if (trimmed.length > LABEL_MAX) return { label: { key: 'v.maxLength', values: { max: LABEL_MAX } } };
  return {};
}
