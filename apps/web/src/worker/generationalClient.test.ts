import { describe, expect, it } from 'vitest';
import { GenerationalClient } from './generationalClient.ts';

type Payload = { generation: number; value: number; delay: number };
type Req = ({ type: 'echo' } & Payload) | ({ type: 'other' } & Payload);
type Res =
  | { type: 'echo'; generation: number; value: number }
  | { type: 'other'; generation: number; value: number }
  | { type: 'failed'; request: Req['type']; generation: number; message: string };

/** No Worker in Node: the client takes its main-thread fallback, which these tests control. */
function client(): GenerationalClient<Req, Res> {
  return new GenerationalClient<Req, Res>({
    createWorker: () => {
      throw new Error('no workers here');
    },
    loadFallback:
      async () =>
      async (request): Promise<Res> => {
        await new Promise((resolve) => setTimeout(resolve, request.delay));
        if (request.value < 0)
          return {
            type: 'failed',
            request: request.type,
            generation: request.generation,
            message: 'negative',
          };
        return { type: request.type, generation: request.generation, value: request.value * 2 } as Res;
      },
  });
}

describe('GenerationalClient', () => {
  it('drops a reply that a newer request of the same kind superseded, even when it arrives last', async () => {
    const c = client();
    const slowOld = c.request('echo', { value: 1, delay: 40 });
    const fastNew = c.request('echo', { value: 2, delay: 5 });
    expect(await fastNew).toMatchObject({ value: 4 });
    expect(await slowOld).toBeUndefined();
  });

  it('keeps kinds apart: a newer request of another kind does not supersede', async () => {
    const c = client();
    const echo = c.request('echo', { value: 3, delay: 20 });
    const other = c.request('other', { value: 5, delay: 1 });
    expect(await other).toMatchObject({ value: 10 });
    expect(await echo).toMatchObject({ value: 6 });
  });

  it('turns a failed reply into an error', async () => {
    await expect(client().request('echo', { value: -1, delay: 1 })).rejects.toThrow('echo failed: negative');
  });
});
