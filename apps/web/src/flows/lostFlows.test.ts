import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetImportedFlows, importedBeforeReload, rememberImportedFlows } from './lostFlows.ts';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => {
      map.delete(k);
    },
    setItem: (k, v) => {
      map.set(k, v);
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the note of flows imported before a reload', () => {
  it('remembers the name and size of the last import only, until forgotten', () => {
    vi.stubGlobal('localStorage', memoryStorage());
    expect(importedBeforeReload()).toBeUndefined();
    rememberImportedFlows({ name: 'a.jsonl', records: 3 });
    rememberImportedFlows({ name: 'b.jsonl', records: 62 });
    expect(importedBeforeReload()).toEqual({ name: 'b.jsonl', records: 62 });
    forgetImportedFlows();
    expect(importedBeforeReload()).toBeUndefined();
  });

  it('reads nothing from a broken note, and works with no storage at all', () => {
    const storage = memoryStorage();
    storage.setItem('netpol-atlas.flows.imported', '{not json');
    vi.stubGlobal('localStorage', storage);
    expect(importedBeforeReload()).toBeUndefined();
    vi.stubGlobal('localStorage', undefined);
    expect(() => rememberImportedFlows({ name: 'a', records: 1 })).not.toThrow();
    expect(importedBeforeReload()).toBeUndefined();
  });
});
