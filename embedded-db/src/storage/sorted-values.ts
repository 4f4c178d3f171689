/**
 * The distinct values of one range class of an index, in order: a list of sorted blocks of at
 * most ~1000 values. An insert or removal shifts one block (not the whole list, which at 100k
 * random values — task ids, applicant ids — made every insert a multi-megabyte memmove); a
 * range walks the blocks from the first position found by two binary searches.
 */
import { compareScalars } from './keys';

const SPLIT = 1024;

export class SortedValues {
  private blocks: unknown[][] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  insert(v: unknown): void {
    if (!this.blocks.length) {
      this.blocks.push([v]);
      this.count = 1;
      return;
    }
    const b = Math.min(this.blockAt(v, true), this.blocks.length - 1);
    const block = this.blocks[b]!;
    block.splice(lowerBound(block, v, true), 0, v);
    this.count++;
    if (block.length > SPLIT) this.blocks.splice(b + 1, 0, block.splice(SPLIT >> 1));
  }

  /** Removes one value equal to `v`, if any. */
  remove(v: unknown): void {
    const b = this.blockAt(v, true);
    const block = this.blocks[b];
    if (!block) return;
    const i = lowerBound(block, v, true);
    if (i < block.length && compareScalars(block[i], v) === 0) {
      block.splice(i, 1);
      this.count--;
      if (block.length === 0) this.blocks.splice(b, 1);
    }
  }

  /** Values from the lower bound (or the start) up to the upper bound (or the end), in order. */
  *range(lower: { v: unknown; inclusive: boolean } | null, upper: { v: unknown; inclusive: boolean } | null): Generator<unknown> {
    let [b, i] = lower ? this.position(lower.v, lower.inclusive) : [0, 0];
    const [eb, ei] = upper ? this.position(upper.v, !upper.inclusive) : [this.blocks.length, 0];
    while (b < eb || (b === eb && i < ei)) {
      const block = this.blocks[b]!;
      if (i >= block.length) {
        b++;
        i = 0;
        continue;
      }
      yield block[i++];
    }
  }

  /** Block and offset of the first value ≥ v (inclusive) or > v (not inclusive); [blocks, 0] when none. */
  private position(v: unknown, inclusive: boolean): [number, number] {
    const b = this.blockAt(v, inclusive);
    if (b === this.blocks.length) return [b, 0];
    return [b, lowerBound(this.blocks[b]!, v, inclusive)];
  }

  /** The first block whose last value is ≥ v (inclusive) or > v (not inclusive); `blocks.length` when none. */
  private blockAt(v: unknown, inclusive: boolean): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const block = this.blocks[mid]!;
      const c = compareScalars(block[block.length - 1], v);
      if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** First position of sorted `arr` whose value is ≥ v (inclusive) or > v (not inclusive). */
function lowerBound(arr: unknown[], v: unknown, inclusive: boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareScalars(arr[mid], v);
    if (c < 0 || (!inclusive && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
