import { afterEach, describe, expect, it, vi } from 'vitest';
import { QueryRunner, type QueryState } from './queryRunner.ts';
import { WorkerRequestError } from './workerError.ts';

/** A question whose answer the test hands over when it likes. */
function deferred<T>() {
  let resolve!: (value: T | undefined) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T | undefined>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const asked = vi.fn(() => promise);
  return { asked, resolve, reject };
}

/** Lets the runner's promise callbacks run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Failures are logged to the console: captured, so a test can read what was logged. */
const consoleErrors = () => vi.spyOn(console, 'error').mockImplementation(() => {});

describe('QueryRunner', () => {
  it('is loading while asked, then holds the answer', async () => {
    const runner = new QueryRunner<string>();
    const seen: QueryState<string>[] = [];
    runner.subscribe(() => seen.push(runner.get()));
    const q = deferred<string>();
    runner.ask(q.asked);
    expect(runner.get()).toEqual({ data: undefined, loading: true, error: undefined, stale: false });
    q.resolve('answer');
    await settle();
    expect(runner.get()).toEqual({ data: 'answer', loading: false, error: undefined, stale: false });
    expect(seen).toHaveLength(2);
  });

  it('marks the shown answer stale while a newer question is asked, and drops the older reply', async () => {
    const runner = new QueryRunner<string>();
    const first = deferred<string>();
    runner.ask(first.asked);
    first.resolve('one');
    await settle();
    const second = deferred<string>();
    const third = deferred<string>();
    runner.ask(second.asked);
    expect(runner.get()).toMatchObject({ data: 'one', loading: true, stale: true });
    runner.ask(third.asked);
    third.resolve('three');
    await settle();
    second.resolve('two, too late');
    await settle();
    expect(runner.get()).toEqual({ data: 'three', loading: false, error: undefined, stale: false });
  });

  it('keeps loading when the worker drops the question for a newer one (undefined reply)', async () => {
    const runner = new QueryRunner<string>();
    const q = deferred<string>();
    runner.ask(q.asked);
    q.resolve(undefined);
    await settle();
    expect(runner.get()).toMatchObject({ data: undefined, loading: true });
  });

  it('reports a failure as a message, and ignores the failure of a superseded question', async () => {
    const logged = consoleErrors();
    const runner = new QueryRunner<string>();
    const failing = deferred<string>();
    runner.ask(failing.asked);
    failing.reject(new Error('worker crashed'));
    await settle();
    expect(runner.get()).toEqual({
      data: undefined,
      loading: false,
      error: 'Error: worker crashed',
      stale: false,
    });

    const old = deferred<string>();
    const current = deferred<string>();
    runner.ask(old.asked);
    runner.ask(current.asked);
    old.reject(new Error('late failure'));
    current.resolve('fine');
    await settle();
    expect(runner.get()).toMatchObject({ data: 'fine', error: undefined });
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it("shows a failed request's message and code on the page and logs the worker's stack", async () => {
    const logged = consoleErrors();
    const runner = new QueryRunner<string>();
    const failing = deferred<string>();
    runner.ask(failing.asked);
    const stack = 'TypeError: x is undefined\n    at findingsInWorkspace (compileWorkspace.ts:300:7)';
    failing.reject(
      new WorkerRequestError('findings', {
        name: 'TypeError',
        message: 'x is undefined',
        stack,
        code: 'findings.bug',
      }),
    );
    await settle();
    expect(runner.get().error).toBe('TypeError: findings failed: x is undefined [findings.bug]');
    expect(runner.get().error).not.toContain('compileWorkspace.ts');
    const [[error]] = logged.mock.calls as [[Error]];
    expect(error.stack).toBe(stack);
  });

  it('keeps the kind of error in the message the user reads', async () => {
    consoleErrors();
    const runner = new QueryRunner<string>();
    const failing = deferred<string>();
    runner.ask(failing.asked);
    failing.reject(new TypeError('model is undefined'));
    await settle();
    expect(runner.get().error).toBe('TypeError: model is undefined');
    const refused = deferred<string>();
    runner.ask(refused.asked);
    refused.reject('refused');
    await settle();
    expect(runner.get().error).toBe('refused');
  });

  it('waits out the debounce and asks only the last of a burst', async () => {
    vi.useFakeTimers();
    const runner = new QueryRunner<string>(200);
    const questions = [deferred<string>(), deferred<string>(), deferred<string>()];
    for (const q of questions) {
      runner.ask(q.asked);
      vi.advanceTimersByTime(199);
    }
    expect(questions.map((q) => q.asked.mock.calls.length)).toEqual([0, 0, 0]);
    expect(runner.get().loading).toBe(true);
    vi.advanceTimersByTime(1);
    expect(questions.map((q) => q.asked.mock.calls.length)).toEqual([0, 0, 1]);
  });

  it('asks nothing for an undefined question, and applies nothing after dispose', async () => {
    const runner = new QueryRunner<string>(0, true);
    expect(runner.get().loading).toBe(true);
    runner.ask(undefined);
    expect(runner.get()).toEqual({ data: undefined, loading: false, error: undefined, stale: false });
    const q = deferred<string>();
    runner.ask(q.asked);
    runner.dispose();
    q.resolve('after unmount');
    await settle();
    expect(runner.get().data).toBeUndefined();
  });
});
