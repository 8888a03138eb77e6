/**
 * A failure inside a worker, as it crosses `postMessage`. An `Error` survives structured cloning
 * only in part (its class, its own fields such as a diagnostic `code`, and, in some browsers, its
 * stack are lost), so the worker sends these plain fields and the page rebuilds an error from them.
 */
export interface WorkerError {
  /** `TypeError`, `RangeError`, `Error`…: tells a bug from a refused request. */
  name: string;
  message: string;
  /** Where it was thrown, in the worker's code; for the console, not for the page. */
  stack: string | undefined;
  /** The error's diagnostic code, when it carries one. */
  code: string | undefined;
}

/** What a worker sends when handling a request threw `thrown` (anything can be thrown). */
export function workerError(thrown: unknown): WorkerError {
  if (!(thrown instanceof Error)) {
    return { name: 'Error', message: String(thrown), stack: undefined, code: undefined };
  }
  const code = (thrown as { code?: unknown }).code;
  return {
    name: thrown.name,
    message: thrown.message,
    stack: thrown.stack,
    code: typeof code === 'string' || typeof code === 'number' ? String(code) : undefined,
  };
}

/**
 * A request the worker failed, rebuilt on the page: its name, code and stack are the worker's,
 * its message says which request failed.
 */
export class WorkerRequestError extends Error {
  readonly code: string | undefined;

  constructor(request: string, failure: WorkerError) {
    super(`${request} failed: ${failure.message}`);
    this.name = failure.name;
    this.code = failure.code;
    // The worker's stack says where the bug is; this one would only point at the client.
    if (failure.stack !== undefined) this.stack = failure.stack;
  }
}
