import { describe, expect, it, vi } from 'vitest';
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

  it('receives a posted reply only while it is current, and drops it when superseded meanwhile', async () => {
    // A worker that answers in a posted form (value as text) the client makes whole again.
    const worker = new EventTarget() as EventTarget & { postMessage(request: Req): void };
    worker.postMessage = (request) => {
      const posted = { type: request.type, generation: request.generation, value: String(request.value) };
      void request.gate.then(() => worker.dispatchEvent(new MessageEvent('message', { data: posted })));
    };
    const received: number[] = [];
    let releaseReceive = () => {};
    const receiving = new Promise<void>((resolve) => {
      releaseReceive = resolve;
    });
    const c = new GenerationalClient<Req, Res>({
      createWorker: () => worker as unknown as Worker,
      loadFallback: () => Promise.reject(new Error('unused')),
      receive: async (reply) => {
        const value = Number((reply as { value: unknown }).value);
        received.push(value);
        if (value === 1) await receiving;
        return { ...reply, value: value * 2 } as Res;
      },
    });
    expect(await c.request('echo', { value: 3, gate: Promise.resolve() })).toEqual({
      type: 'echo',
      generation: 1,
      value: 6,
    });
    // Superseded while it is being received: dropped.
    const slow = c.request('echo', { value: 1, gate: Promise.resolve() });
    await vi.waitFor(() => expect(received).toEqual([3, 1]));
    const stale = gate();
    const newer = c.request('echo', { value: 5, gate: stale.promise });
    releaseReceive();
    expect(await slow).toBeUndefined();
    // Superseded before it arrives: never received at all.
    const last = c.request('echo', { value: 7, gate: Promise.resolve() });
    stale.open();
    expect(await newer).toBeUndefined();
    expect(await last).toMatchObject({ value: 14 });
    expect(received).toEqual([3, 1, 7]);
  });
});
