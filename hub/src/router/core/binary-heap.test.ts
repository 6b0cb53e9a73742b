import fc from 'fast-check';
import { expect, it } from 'vitest';
import { BinaryHeap } from './binary-heap.js';

it('pops in comparator order whatever the mix of initial items, pushes and pops', () => {
  fc.assert(
    fc.property(fc.array(fc.integer()), fc.array(fc.option(fc.integer(), { nil: undefined })), (initial, ops) => {
      const heap = new BinaryHeap([...initial], (a, b) => a - b);
      const model = [...initial];
      for (const op of ops) {
        if (op === undefined) {
          model.sort((a, b) => a - b);
          expect(heap.pop()).toBe(model.shift());
        } else {
          heap.push(op);
          model.push(op);
        }
        expect(heap.size).toBe(model.length);
      }
      model.sort((a, b) => a - b);
      const drained: number[] = [];
      for (let item = heap.pop(); item !== undefined; item = heap.pop()) drained.push(item);
      expect(drained).toEqual(model);
    }),
  );
});
