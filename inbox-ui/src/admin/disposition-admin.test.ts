import { describe, expect, it } from 'vitest';
import type { DispositionCode } from './admin-types.js';
import { buildAdminTree, canHaveChildren, depthOf, flattenTree, reorderSiblings, validateLabel, validateNewCode } from './disposition-admin.js';

const code = (id: string, parentId: string | null, position: number, active = true, c = id.toUpperCase()): DispositionCode => ({ id, campaignId: 'camp', parentId, code: c, label: `Etiqueta ${id}`, active, position });

const codes = [
  code('b', null, 1),
  code('a', null, 0),
  code('a1', 'a', 0, false),
  code('a1x', 'a1', 0),
  code('a2', 'a', 1),
  code('orphan', 'missing', 0),
  code('b1', 'b', 0),
  code('b2', 'b', 0, true, 'B0'),
];

describe('tipification tree for administrators', () => {
  it('orders siblings by position then code, keeps inactive codes and marks retired branches', () => {
    const flat = flattenTree(buildAdminTree(codes)).map((n) => `${'  '.repeat(n.depth - 1)}${n.code.id}${n.retired ? ' (retired)' : ''}`);
    // Roots sort by position then code (A before ORPHAN at position 0); B0 before B1 at equal positions.
    expect(flat).toEqual(['a', '  a1 (retired)', '    a1x (retired)', '  a2', 'orphan', 'b', '  b2', '  b1']);
  });

  it('knows depths and which codes can take children (max 3 levels)', () => {
    expect(['a', 'a1', 'a1x', 'nope'].map((id) => depthOf(codes, id))).toEqual([1, 2, 3, 0]);
    expect(['a', 'a1', 'a1x', 'nope'].map((id) => canHaveChildren(codes, id))).toEqual([true, true, false, false]);
  });

  it('moves a code among its siblings and renumbers only what changes', () => {
    expect(reorderSiblings(codes, 'a2', -1)).toEqual([
      { id: 'a2', position: 0 },
      { id: 'a1', position: 1 },
    ]);
    expect(reorderSiblings(codes, 'a', -1)).toEqual([]);
    // Equal positions (b1, b2 both 0) are made distinct.
    expect(reorderSiblings(codes, 'b1', -1)).toEqual([{ id: 'b2', position: 1 }]);
    expect(reorderSiblings(codes, 'unknown', 1)).toEqual([]);
  });

  it('validates a new code as the hub would', () => {
    expect(validateNewCode({ parentId: null, code: 'PEN-01', label: 'Pensiones' }, codes)).toEqual({});
    const bad = validateNewCode({ parentId: 'a1x', code: 'pen 01', label: '' }, codes);
    expect(Object.fromEntries(Object.entries(bad).map(([k, v]) => [k, v.key]))).toEqual({ code: 'v.dispositionCode', label: 'v.required', parentId: 'v.maxDepth' });
    expect(validateNewCode({ parentId: null, code: 'A', label: 'x' }, codes)['code']?.key).toBe('v.duplicate');
    expect(validateLabel('x'.repeat(121))['label']?.key).toBe('v.maxLength');
  });
});
