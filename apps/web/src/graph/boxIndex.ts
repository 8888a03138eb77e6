// A spatial index of the top-level boxes, so that asking what a box covers reads the few boxes
// near it instead of every one of a big overview's 600 namespaces.
import type { Box } from './layout.ts';

/** Side of a bucket, in graph units: about two collapsed namespaces with their gaps. */
const BUCKET = 512;
/**
 * Bucket coordinates are clamped to ±REACH (a drawing 500,000 units across; whatever lies
 * further shares the edge buckets), so that a bucket's key is a small integer.
 */
const REACH = 1023;

function bucketOf(at: number): number {
  return Math.max(-REACH, Math.min(REACH, Math.floor(at / BUCKET))) + REACH;
}

/** Whether `a` and `b` come closer than `margin` to each other. */
function overlaps(a: Box, b: Box, margin: number): boolean {
  return (
    a.x < b.x + b.width + margin &&
    b.x < a.x + a.width + margin &&
    a.y < b.y + b.height + margin &&
    b.y < a.y + a.height + margin
  );
}

/** Boxes by id in square buckets; a box is in every bucket it touches. */
export class BoxIndex {
  readonly #boxes = new Map<string, Box>();
  readonly #buckets = new Map<number, Set<string>>();

  /** The box of `id`, if indexed. */
  get(id: string): Box | undefined {
    return this.#boxes.get(id);
  }

  /** Indexes `box` as `id`'s, replacing its previous box. */
  set(id: string, box: Box): void {
    this.delete(id);
    this.#boxes.set(id, box);
    const [x0, x1, y0, y1] = this.#span(box, 0);
    for (let bx = x0; bx <= x1; bx++)
      for (let by = y0; by <= y1; by++) {
        const key = bx * (2 * REACH + 1) + by;
        let bucket = this.#buckets.get(key);
        if (!bucket) {
          bucket = new Set();
          this.#buckets.set(key, bucket);
        }
        bucket.add(id);
      }
  }

  delete(id: string): void {
    const box = this.#boxes.get(id);
    if (!box) return;
    this.#boxes.delete(id);
    const [x0, x1, y0, y1] = this.#span(box, 0);
    for (let bx = x0; bx <= x1; bx++)
      for (let by = y0; by <= y1; by++) this.#buckets.get(bx * (2 * REACH + 1) + by)?.delete(id);
  }

  /** The ids of the boxes closer than `margin` to `box`, in no particular order. */
  near(box: Box, margin: number): string[] {
    const found: string[] = [];
    const [x0, x1, y0, y1] = this.#span(box, margin);
    for (let bx = x0; bx <= x1; bx++)
      for (let by = y0; by <= y1; by++) {
        const bucket = this.#buckets.get(bx * (2 * REACH + 1) + by);
        if (!bucket) continue;
        for (const id of bucket)
          if (!found.includes(id) && overlaps(box, this.#boxes.get(id)!, margin)) found.push(id);
      }
    return found;
  }

  /** Whether any box other than `except`'s comes closer than `margin` to `box`. */
  crowds(box: Box, margin: number, except?: string): boolean {
    return this.near(box, margin).some((id) => id !== except);
  }

  /** The buckets `box` touches, grown by `margin`: first and last column, first and last row. */
  #span(box: Box, margin: number): [number, number, number, number] {
    return [
      bucketOf(box.x - margin),
      bucketOf(box.x + box.width + margin),
      bucketOf(box.y - margin),
      bucketOf(box.y + box.height + margin),
    ];
  }
}
