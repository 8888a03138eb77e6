// What every figure shares: its types, the RSS sampler, garbage collection between runs, and
// the arithmetic of the reported numbers.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { SyntheticClusterOptions } from './synthetic.ts';

/** What one figure measures, and on which cluster. */
export interface FigureSpec {
  name: string;
  /**
   * `edit`: a NetworkPolicy's port edited; `edit-cluster`: a ClusterNetworkPolicy's; `cli`: the
   * CLI end to end in a process of its own; `flows`: observed flows judged.
   */
  kind: 'parse' | 'analyze' | 'edit' | 'edit-cluster' | 'cli' | 'flows';
  cluster: SyntheticClusterOptions;
  /** `scaling`: measured only with --scaling or by name (the README's scaling table). */
  series?: 'scaling';
}

/** One result line. `ms` is the median of the measured runs, `peakMB` the process's peak RSS. */
export interface Figure {
  name: string;
  ms: number;
  peakMB: number;
  [extra: string]: number | string;
}

export const MB = 1024 * 1024;

/**
 * Samples the process's RSS from a worker thread: the measured code is synchronous, so a timer
 * on the main thread would never fire while it runs. Slot 0 switches sampling on, slot 1 holds
 * the peak in KiB.
 */
export class RssSampler {
  private readonly shared = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  constructor() {
    // Plain JS evaluated in the worker, so it needs no TypeScript loader.
    this.worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const shared = workerData;
       setInterval(() => {
         if (Atomics.load(shared, 0) !== 1) return;
         const kib = Math.round(process.memoryUsage.rss() / 1024);
         if (kib > Atomics.load(shared, 1)) Atomics.store(shared, 1, kib);
       }, 2);`,
      { eval: true, workerData: this.shared },
    );
    this.worker.unref();
  }

  start(): void {
    Atomics.store(this.shared, 1, Math.round(process.memoryUsage.rss() / 1024));
    Atomics.store(this.shared, 0, 1);
  }

  /** Records a sample from the main thread too: a run shorter than the interval is still seen. */
  sample(): void {
    const kib = Math.round(process.memoryUsage.rss() / 1024);
    if (kib > Atomics.load(this.shared, 1)) Atomics.store(this.shared, 1, kib);
  }

  /** Stops sampling and returns the peak in MiB. */
  stop(): number {
    this.sample();
    Atomics.store(this.shared, 0, 0);
    return Atomics.load(this.shared, 1) / 1024;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Full collection (the parent always starts children with --expose-gc), then a pause: V8 sweeps
 * concurrently after a collection, and those helper threads would otherwise compete with the
 * next timed run for the two cores.
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * The calling thread's time on a core so far, in ms, from Linux's per-thread scheduler figures
 * (`/proc/thread-self/schedstat`, first field in ns). Unlike wall time it leaves out the waits
 * for a core, and unlike `process.cpuUsage` it leaves out V8's helper threads, so it compares
 * two versions of the code fairly even on a loaded machine. NaN where the file does not exist.
 */
export function threadCpuMs(): number {
  try {
    const text = readFileSync('/proc/thread-self/schedstat', 'latin1');
    return Number(text.slice(0, text.indexOf(' '))) / 1e6;
  } catch {
    return Number.NaN;
  }
}
