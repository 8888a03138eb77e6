import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { analysisClient } from '../workspace/index.ts';
import {
  cancelFlowImport,
  closeFlows,
  flowsFailed,
  importFlows,
  refreshFlowReport,
  setFlowFilter,
  useFlows,
} from './flowsStore.ts';
import { importedBeforeReload } from './lostFlows.ts';

// No Worker in Node: the clients fall back to the one handler on this thread, as the page does
// when workers are unavailable.
const PUBLIC = fileURLToPath(new URL('../../../../public/', import.meta.url));
const demo = readdirSync(`${PUBLIC}demo/`)
  .sort()
  .map((name) => ({ id: name, path: `demo/${name}`, text: readFileSync(`${PUBLIC}demo/${name}`, 'utf8') }));
const hubble = readFileSync(`${PUBLIC}flows/demo.hubble.jsonl`, 'utf8');

function storage(): Storage {
  const map = new Map<string, string>();
  return {
    length: 0,
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: () => null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

/** A source that hands out its pieces one read at a time, and says when each was taken. */
function slowSource(pieces: string[], onRead: (i: number) => void) {
  const bytes = pieces.map((p) => new TextEncoder().encode(p));
  let i = 0;
  return {
    name: 'slow.jsonl',
    size: bytes.reduce((n, b) => n + b.byteLength, 0),
    stream: () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i === bytes.length) controller.close();
          else {
            onRead(i);
            controller.enqueue(bytes[i++]!);
          }
        },
      }),
  };
}

beforeAll(async () => {
  await analysisClient().request('analyze', { files: demo, options: { cni: 'upstream' } });
});

beforeEach(() => {
  vi.stubGlobal('localStorage', storage());
  closeFlows();
});

describe('the flows store', () => {
  it('imports a file into the worker and holds its judgement, remembered for the next reload', async () => {
    await importFlows(new File([hubble], 'demo.hubble.jsonl'));
    const state = useFlows.getState();
    expect(state.status).toBe('ready');
    expect(state.view?.totals).toMatchObject({ records: 62, observedAllowed: 5, observedDenied: 2 });
    expect(state.progress).toMatchObject({ records: 62, bytes: new TextEncoder().encode(hubble).byteLength });
    expect(importedBeforeReload()).toEqual({ name: 'demo.hubble.jsonl', records: 62 });
  });

  it('keeps the flows it has when an import is cancelled', async () => {
    await importFlows(new File([hubble], 'demo.hubble.jsonl'));
    // Two reads of a million characters each: the first one is sent before the second is read.
    const big = `${hubble}${'\n'.repeat(1 << 20)}`;
    const importing = importFlows(
      slowSource([big, big], (i) => {
        if (i === 1) cancelFlowImport();
      }),
    );
    await importing;
    const state = useFlows.getState();
    expect(state.status).toBe('ready');
    expect(state.view?.name).toBe('demo.hubble.jsonl');
    await refreshFlowReport();
    expect(useFlows.getState().view?.name).toBe('demo.hubble.jsonl');
  });

  it('filters states and forgets everything on close', async () => {
    await importFlows(new File([hubble], 'demo.hubble.jsonl'));
    setFlowFilter({ unobserved: false });
    expect(useFlows.getState().filter).toEqual({ allowed: true, denied: true, unobserved: false });
    closeFlows();
    expect(useFlows.getState()).toMatchObject({ status: 'idle', view: undefined });
    expect(importedBeforeReload()).toBeUndefined();
  });
});

describe('a failure', () => {
  it('shows the message in the panel and logs the error, stack and all, to the console', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const error = new TypeError('flowsReport failed: view is undefined');
    flowsFailed(error);
    expect(useFlows.getState()).toMatchObject({
      status: 'failed',
      error: 'flowsReport failed: view is undefined',
      progress: undefined,
    });
    expect(logged).toHaveBeenCalledWith(error);
    logged.mockRestore();
  });
});
