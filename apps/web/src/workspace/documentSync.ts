// How the documents reach the analysis worker. At 10,000 workloads the workspace is some 9 MB of
// text; cloning all of it to the worker on every keystroke cost the page a task of 30-450 ms and
// the worker as long again to read it. The page instead remembers which texts the worker holds
// and sends only what changed since then; the worker rebuilds the whole list from the texts it
// kept, so what it analyses is exactly what a full send would have given it.
//
// Each update names the state it leads to and, for a delta, the state it starts from (`base`),
// both within an `epoch` (one page-side sync). The worker applies a delta only to the very state
// it names: a worker that restarted, or that holds another epoch's or another state's documents,
// refuses it and keeps what it had, and the page sends everything again. Nothing ever analyses a
// mix of two states. The order is safe because a worker handles its messages in the order they
// were posted, and applies each update before it starts the analysis (which may fail).

/** A document as the worker's workspace reads it. */
export interface SyncedFile {
  path: string;
  text: string;
}

/** The documents of one analyze request: all of them, or what changed since `base`. */
export type DocumentsUpdate =
  | { kind: 'full'; epoch: string; state: number; files: SyncedFile[] }
  | {
      kind: 'delta';
      epoch: string;
      /** The state this delta applies to: the worker must hold exactly it. */
      base: number;
      state: number;
      /** Every path, in order, when the list changed (added, removed, renamed, reordered). */
      paths: string[] | undefined;
      /** The files whose text the worker does not hold (a new path's included). */
      changed: SyncedFile[];
    };

/** The code of the failure a worker replies with when it does not hold a delta's base. */
export const UNKNOWN_BASE = 'analyze/unknown-base';

interface Held {
  epoch: string;
  state: number;
  /** In order; a path may repeat, as in a full send (the workspace keeps its first place). */
  paths: readonly string[];
  texts: ReadonlyMap<string, string>;
}

let epochs = 0;

/** An epoch no other sync of this page or of a restarted one is likely to have. */
function newEpoch(): string {
  epochs += 1;
  return `${epochs}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
}

function textsOf(files: readonly SyncedFile[]): Map<string, string> {
  // A later file with a path already seen wins, as in the workspace's setFiles.
  return new Map(files.map((f) => [f.path, f.text]));
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/**
 * The page's side: what the worker holds, as far as the page knows. The store keeps a file it
 * did not edit as the same object, so comparing texts is mostly comparing one string with
 * itself; a text equal to the held one is never sent, whatever object carries it.
 */
export class DocumentSync {
  private readonly epoch = newEpoch();
  private state = 0;
  private held: Held | undefined;

  /**
   * The update that takes the worker from what it holds to `files`. It assumes the worker will
   * hold `files` next: post every update it returns, in order.
   */
  update(files: readonly SyncedFile[]): DocumentsUpdate {
    this.state += 1;
    const paths = files.map((f) => f.path);
    const texts = textsOf(files);
    const base = this.held;
    this.held = { epoch: this.epoch, state: this.state, paths, texts };
    if (!base)
      return {
        kind: 'full',
        epoch: this.epoch,
        state: this.state,
        files: files.map(({ path, text }) => ({ path, text })),
      };
    const changed: SyncedFile[] = [];
    for (const [path, text] of texts) if (base.texts.get(path) !== text) changed.push({ path, text });
    return {
      kind: 'delta',
      epoch: this.epoch,
      base: base.state,
      state: this.state,
      paths: samePaths(paths, base.paths) ? undefined : paths,
      changed,
    };
  }

  /** The worker refused a delta: the next update sends everything. */
  forget(): void {
    this.held = undefined;
  }
}

/**
 * The worker's side: the texts of the last update it applied, from which a delta rebuilds the
 * whole list.
 */
export class HeldDocuments {
  private held: Held | undefined;

  /**
   * The documents `update` leads to, now held; undefined when it is a delta from a state not held
   * (or an inconsistent one), which leaves what is held as it was.
   */
  apply(update: DocumentsUpdate): SyncedFile[] | undefined {
    if (update.kind === 'full') {
      this.held = {
        epoch: update.epoch,
        state: update.state,
        paths: update.files.map((f) => f.path),
        texts: textsOf(update.files),
      };
      return update.files;
    }
    const base = this.held;
    if (!base || base.epoch !== update.epoch || base.state !== update.base) return undefined;
    const paths = update.paths ?? base.paths;
    const changed = textsOf(update.changed);
    const texts = new Map<string, string>();
    for (const path of paths) {
      const text = changed.get(path) ?? base.texts.get(path);
      if (text === undefined) return undefined;
      texts.set(path, text);
    }
    // A changed path outside the list would be dropped silently: the page and the worker disagree.
    for (const path of changed.keys()) if (!texts.has(path)) return undefined;
    this.held = { epoch: update.epoch, state: update.state, paths, texts };
    return paths.map((path) => ({ path, text: texts.get(path)! }));
  }

  /** Documents arrived another way (a full list without an update): no delta applies any more. */
  forget(): void {
    this.held = undefined;
  }
}
