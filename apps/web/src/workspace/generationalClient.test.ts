import { describe, expect, it } from 'vitest';
import { GenerationalClient } from './generationalClient.ts';
import { type WorkerError, WorkerRequestError, workerError } from './workerError.ts';

type Payload = { generation: number; value: number; gate: Promise<void> };
type Req = ({ type: 'echo' } & Payload) | ({ type: 'other' } & Payload);
type Res =
  | { type: 'echo'; generation: number; value: number }
  | { type: 'other'; generation: number; value: number }
  | { type: 'failed'; request: Req['type']; generation: number; error: WorkerError };

/** A reply the test releases when it chooses: the order of replies is set, not raced. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** No Worker in Node: the client takes its main-thread fallback, which these tests control. */
function client(): GenerationalClient<Req, Res> {
  return new GenerationalClient<Req, Res>({
    createWorker: () => {
      throw new Error('no workers here');
    },
    loadFallback:
      async () =>
      async (request): Promise<Res> => {
        await request.gate;
        if (request.value < 0)
          return {
            type: 'failed',
            request: request.type,
            generation: request.generation,
            error: workerError(Object.assign(new RangeError('negative'), { code: 'echo.negative' })),
          };
        return { type: request.type, generation: request.generation, value: request.value * 2 } as Res;
      },
  });
}

describe('GenerationalClient', () => {
  it('drops a reply that a newer request of the same kind superseded, even when it arrives last', async () => {
    const c = client();
    const [oldReply, newReply] = [gate(), gate()];
    const slowOld = c.request('echo', { value: 1, gate: oldReply.promise });
    const fastNew = c.request('echo', { value: 2, gate: newReply.promise });
    newReply.open();
    expect(await fastNew).toMatchObject({ value: 4 });
    oldReply.open();
    expect(await slowOld).toBeUndefined();
  });

  it('keeps kinds apart: a newer request of another kind does not supersede', async () => {
    const c = client();
    const [echoReply, otherReply] = [gate(), gate()];
    const echo = c.request('echo', { value: 3, gate: echoReply.promise });
    const other = c.request('other', { value: 5, gate: otherReply.promise });
    otherReply.open();
    expect(await other).toMatchObject({ value: 10 });
    echoReply.open();
    expect(await echo).toMatchObject({ value: 6 });
  });

  it("turns a failed reply into an error with the worker's name, code and stack", async () => {
    const failure = await client()
      .request('echo', { value: -1, gate: Promise.resolve() })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkerRequestError);
    const error = failure as WorkerRequestError;
    expect(error.message).toBe('echo failed: negative');
    expect(error.name).toBe('RangeError');
    expect(error.code).toBe('echo.negative');
    // The stack is where the handler threw, not where the client rethrew.
    expect(error.stack).toContain('generationalClient.test.ts');
    expect(error.stack).toContain('negative');
  });
});
