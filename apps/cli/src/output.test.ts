import { describe, expect, it } from 'vitest';
import type { CliIO } from './io.ts';
import { captureIO } from './nodeIO.ts';
import { writeText } from './output.ts';

/** Pieces of one line each, counting how many the writer has pulled. */
function lines(count: number) {
  const state = { pulled: 0 };
  function* pieces() {
    for (let i = 0; i < count; i++) {
      state.pulled++;
      yield `line ${i}\n`;
    }
  }
  return { state, pieces: pieces(), text: Array.from({ length: count }, (_, i) => `line ${i}\n`).join('') };
}

describe('writeText', () => {
  it('gathers small pieces into large writes', async () => {
    const io = captureIO();
    const writes: string[] = [];
    const { pieces, text } = lines(50_000);
    await writeText({ ...io, stdout: (t) => void writes.push(t) }, pieces, undefined);
    expect(writes.join('')).toBe(text);
    expect(writes.length).toBeLessThan(20);
  });

  it('waits for a full stdout to drain before it pulls more output', async () => {
    const writes: string[] = [];
    let drain: () => void = () => {};
    const io: CliIO = {
      ...captureIO(),
      // Full after every write: each write returns a promise the test settles.
      stdout: (t) => {
        writes.push(t);
        return new Promise<void>((resolve) => {
          drain = resolve;
        });
      },
    };
    const { state, pieces, text } = lines(50_000);
    const done = writeText(io, pieces, undefined);
    // The writer ran up to its first write and stopped there: nothing more is pulled or written.
    expect(writes).toHaveLength(1);
    const pulledAtFirstWrite = state.pulled;
    expect(pulledAtFirstWrite).toBeLessThan(50_000);
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    await Promise.resolve();
    expect(state.pulled).toBe(pulledAtFirstWrite);
    // Drain until the writer is done.
    while (!finished) {
      const before = writes.length;
      drain();
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!finished) expect(writes.length).toBe(before + 1);
    }
    expect(writes.join('')).toBe(text);
  });

  it('ends stdout output with a newline, but writes a file exactly', async () => {
    const io = captureIO();
    await writeText(io, ['[', ']'], undefined);
    expect(io.out).toBe('[]\n');
    await writeText(io, ['[', ']'], 'out.json');
    expect(io.files.get('out.json')).toBe('[]');
    await writeText(io, [], 'empty.txt');
    expect(io.files.get('empty.txt')).toBe('');
  });
});
