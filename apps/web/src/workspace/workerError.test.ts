import { describe, expect, it } from 'vitest';
import { createHandler } from './handler.ts';
import { WorkerRequestError, workerError } from './workerError.ts';

describe('workerError', () => {
  it('keeps the name, message, stack and diagnostic code of an error', () => {
    const thrown = Object.assign(new TypeError('model is undefined'), { code: 'explain.no-model' });
    const sent = workerError(thrown);
    expect(sent).toEqual({
      name: 'TypeError',
      message: 'model is undefined',
      stack: thrown.stack,
      code: 'explain.no-model',
    });
    // Plain data: it survives structured cloning as it is.
    expect(structuredClone(sent)).toEqual(sent);
  });

  it('reads a numeric code as text and leaves out a code that is neither', () => {
    expect(workerError(Object.assign(new Error('quota'), { code: 22 })).code).toBe('22');
    expect(workerError(Object.assign(new Error('odd'), { code: { nested: true } })).code).toBeUndefined();
    expect(workerError(new Error('plain')).code).toBeUndefined();
  });

  it('reads anything else thrown as the message of an Error', () => {
    expect(workerError('refused')).toEqual({
      name: 'Error',
      message: 'refused',
      stack: undefined,
      code: undefined,
    });
    expect(workerError(undefined).message).toBe('undefined');
  });
});

describe('WorkerRequestError', () => {
  it("rebuilds the worker's error on the page, naming the request", () => {
    const error = new WorkerRequestError('explain', {
      name: 'TypeError',
      message: 'x is not a function',
      stack: 'TypeError: x is not a function\n    at explainInWorkspace (compileWorkspace.ts:10:3)',
      code: undefined,
    });
    expect(error).toBeInstanceOf(Error);
    expect(`${error.name}: ${error.message}`).toBe('TypeError: explain failed: x is not a function');
    expect(error.stack).toContain('explainInWorkspace');
  });

  it('keeps its own stack when the worker sent none', () => {
    const error = new WorkerRequestError('plan', {
      name: 'Error',
      message: 'no',
      stack: undefined,
      code: 'c',
    });
    expect(error.stack).toBeDefined();
    expect(error.code).toBe('c');
  });
});

describe('the worker handler', () => {
  it('answers a request that threw with the error as plain fields', async () => {
    const handle = createHandler();
    // Files that are not a list: a programmer error inside the workspace, not user input.
    const reply = await handle({ type: 'analyze', generation: 3, files: null as never, options: {} });
    expect(reply).toMatchObject({ type: 'failed', request: 'analyze', generation: 3 });
    if (reply.type !== 'failed') return;
    expect(reply.error.name).toBe('TypeError');
    expect(reply.error.message).not.toBe('');
    expect(reply.error.stack).toContain('compileWorkspace');
    expect(structuredClone(reply)).toEqual(reply);
  });
});
