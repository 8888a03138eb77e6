// Output to a slow or stuck reader, written one slice at a time. Node reports a write done only
// once all of it reached the kernel, so a 12 MB snapshot written whole shows no progress until
// its last byte is taken: with slices, what the reader took so far is known, and a reader that
// takes nothing at all can be told from one that is merely slow.
import type { Writable } from 'node:stream';

/** A slice per write: small enough to show progress, large enough to cost nothing. */
const SLICE_BYTES = 256 * 1024;

/** Writes text to a stream in slices, one in flight at a time. */
export class SliceWriter {
  private readonly queue: Buffer[] = [];
  private writing = false;
  private queued = 0;
  private taken = 0;

  /** `onEmpty`: everything queued was taken (the moment to send what was held back). */
  constructor(
    private readonly out: Writable,
    private readonly onEmpty: () => void,
  ) {}

  /** Bytes waiting, the slice in flight included. */
  get queuedBytes(): number {
    return this.queued;
  }

  /** Bytes the stream has taken so far; grows while the reader reads. */
  get takenBytes(): number {
    return this.taken;
  }

  write(text: string): void {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += SLICE_BYTES)
      this.queue.push(bytes.subarray(at, at + SLICE_BYTES));
    this.queued += bytes.length;
    this.pump();
  }

  private pump(): void {
    if (this.writing || this.out.destroyed) return;
    const slice = this.queue.shift();
    if (slice === undefined) {
      this.onEmpty();
      return;
    }
    this.writing = true;
    this.out.write(slice, (error) => {
      this.writing = false;
      if (error) return;
      this.queued -= slice.length;
      this.taken += slice.length;
      this.pump();
    });
  }
}
