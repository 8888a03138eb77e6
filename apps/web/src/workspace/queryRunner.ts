/** Where one component's question to a worker stands. */
export interface QueryState<T> {
  /** The last answer; from an earlier question while `stale`. */
  data: T | undefined;
  /** A question is being asked (or waits out its debounce). */
  loading: boolean;
  /** Why the last question failed. */
  error: string | undefined;
  /** `data` answers an earlier question: a newer one is on its way. */
  stale: boolean;
}

/** A question: resolves to the answer, or to undefined when the worker dropped it for a newer one. */
export type Question<T> = () => Promise<T | undefined>;

/**
 * What the user reads when a question failed: the error with its kind, as JavaScript prints it
 * (`Error: plan failed: …`, `TypeError: …`), so a bug is told from a refused request, and its
 * diagnostic code when it has one. The stack is for the console, not the page.
 */
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${error.name}: ${error.message}${typeof code === 'string' ? ` [${code}]` : ''}`;
}

/**
 * Asks one question at a time for one component, as a small store React subscribes to. A newer
 * question supersedes the older: the older's answer, if it still comes, is dropped, and the
 * answer shown meanwhile is marked stale. Framework-free, so it is tested with fake timers.
 */
export class QueryRunner<T> {
  private state: QueryState<T>;
  private readonly listeners = new Set<() => void>();
  private asked = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `debounceMs` lets typing settle before asking; `pending` starts in the loading state. */
  constructor(
    private readonly debounceMs = 0,
    pending = false,
  ) {
    this.state = { data: undefined, loading: pending, error: undefined, stale: false };
  }

  readonly get = (): QueryState<T> => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Asks `question` (after the debounce), superseding any earlier one; undefined asks nothing. */
  ask(question: Question<T> | undefined): void {
    const generation = ++this.asked;
    clearTimeout(this.timer);
    if (!question) {
      this.set({ data: undefined, loading: false, error: undefined, stale: false });
      return;
    }
    this.set({ ...this.state, loading: true, stale: this.state.data !== undefined });
    const run = () => {
      question().then(
        (data) => {
          // undefined: the worker answered a newer question instead; that answer is on its way.
          if (generation === this.asked && data !== undefined)
            this.set({ data, loading: false, error: undefined, stale: false });
        },
        (error: unknown) => {
          if (generation !== this.asked) return;
          // The page shows the message; the stack (the worker's, for a failed request) is in the console.
          console.error(error);
          this.set({
            data: undefined,
            loading: false,
            error: failureText(error),
            stale: false,
          });
        },
      );
    };
    if (this.debounceMs > 0) this.timer = setTimeout(run, this.debounceMs);
    else run();
  }

  /** Drops whatever is in flight: its answer will not be applied. */
  dispose(): void {
    this.asked++;
    clearTimeout(this.timer);
  }

  private set(state: QueryState<T>): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
