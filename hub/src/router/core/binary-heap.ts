/** A minimal binary min-heap over a comparator (the router's only data structure dependency). */
export class BinaryHeap<T> {
  private readonly items: T[];

  /** Takes ownership of `items` and heapifies them in O(n). */
  constructor(
    items: T[],
    private readonly compare: (a: T, b: T) => number,
  ) {
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top !== undefined && last !== undefined && this.items.length > 0) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(start: number): void {
    const items = this.items;
    const item = items[start];
    if (item === undefined) return;
    let i = start;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex];
      if (parent === undefined || this.compare(item, parent) >= 0) break;
      items[i] = parent;
      i = parentIndex;
    }
    items[i] = item;
  }

  private siftDown(start: number): void {
    const items = this.items;
    const item = items[start];
    if (item === undefined) return;
    const n = items.length;
    let i = start;
    for (;;) {
      let childIndex = 2 * i + 1;
      if (childIndex >= n) break;
      let child = items[childIndex];
      const right = items[childIndex + 1];
      if (child === undefined) break;
      if (right !== undefined && this.compare(right, child) < 0) {
        childIndex += 1;
        child = right;
      }
      if (this.compare(child, item) >= 0) break;
      items[i] = child;
      i = childIndex;
    }
    items[i] = item;
  }
}
