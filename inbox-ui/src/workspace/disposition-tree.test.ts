import { describe, expect, it } from 'vitest';
import type { DispositionCode } from '../api/api-types.js';
import { buildCodeTree, filterCodeTree, MAX_CODES, toggleCode } from './disposition-tree.js';

const code = (id: string, parentId: string | null, label: string, position = 0, active = true): DispositionCode => ({ id, campaignId: 'c', parentId, code: id.toUpperCase(), label, active, position });

describe('tipification tree', () => {
  const codes = [code('b', null, 'Citas', 2), code('a', null, 'Afiliación', 1), code('a1', 'a', 'Vigencia de derechos', 1), code('a2', 'a', 'Alta en el IMSS', 0), code('x', null, 'Obsoleto', 0, false), code('x1', 'x', 'Hijo de obsoleto')];

  it('builds the active codes into a tree ordered by position', () => {
    const tree = buildCodeTree(codes);
    expect(tree.map((n) => n.code.id)).toEqual(['a', 'b']);
    expect(tree[0]?.children.map((n) => n.code.id)).toEqual(['a2', 'a1']);
  });

  it('filters by label or code without accents, keeping the path to a match', () => {
    const found = filterCodeTree(buildCodeTree(codes), 'vigencia');
    expect(found.map((n) => n.code.id)).toEqual(['a']);
    expect(found[0]?.children.map((n) => n.code.id)).toEqual(['a1']);
    expect(filterCodeTree(buildCodeTree(codes), 'AFILIACION')[0]?.children).toHaveLength(2);
  });

  it('selects at most five codes', () => {
    let selected: string[] = [];
    for (const id of ['1', '2', '3', '4', '5', '6']) selected = toggleCode(selected, id);
    expect(selected).toHaveLength(MAX_CODES);
    expect(toggleCode(selected, '3')).toEqual(['1', '2', '4', '5']);
  });
});
