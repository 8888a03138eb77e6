import { describe, expect, it } from 'vitest';
import type { FlowImportStep } from '../workspace/index.ts';
import { streamFlowFile } from './streamFlowFile.ts';

/** A source that yields the given byte pieces, as File.stream() does in reads of its own size. */
function source(pieces: Uint8Array[]) {
  const size = pieces.reduce((n, p) => n + p.byteLength, 0);
  return {
    name: 'capture.jsonl',
    size,
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const p of pieces) controller.enqueue(p);
          controller.close();
        },
      }),
  };
}

function recorder() {
  const steps: FlowImportStep[] = [];
  let text = '';
  const send = async (step: FlowImportStep) => {
    steps.push(step);
    if (step.kind === 'chunk') text += step.text;
    return { lines: text.split('\n').length - 1, records: 0, diagnosticCount: 0 };
  };
  return { steps, send, text: () => text };
}

describe('streamFlowFile', () => {
  it('decodes UTF-8 split anywhere between reads and sends it between start and end, under one id', async () => {
    const text = 'src,dst,protocol,port\nnamespace-ä/ö,b,TCP,80\n€uro,c,UDP,53\n';
    const bytes = new TextEncoder().encode(text);
    // Cut inside the two-byte ä and the three-byte €.
    const cuts = [0, 27, 28, 45, 46, bytes.length];
    const pieces = cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
    const { steps, send, text: sent } = recorder();
    const progress: number[] = [];
    const outcome = await streamFlowFile(
      source(pieces),
      7,
      send,
      (p) => progress.push(p.bytes),
      new AbortController().signal,
    );
    expect(outcome).toBe('done');
    expect(sent()).toBe(text);
    expect(steps[0]).toEqual({ id: 7, kind: 'start', name: 'capture.jsonl' });
    expect(steps.at(-1)).toEqual({ id: 7, kind: 'end' });
    expect(steps.every((s) => s.id === 7)).toBe(true);
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('sends a big file in chunks of about a million characters, each after the last was read', async () => {
    const piece = new TextEncoder().encode(`${'x'.repeat(1023)}\n`);
    const pieces = Array.from({ length: 3000 }, () => piece);
    const { steps, send, text } = recorder();
    await streamFlowFile(source(pieces), 1, send, () => undefined, new AbortController().signal);
    const chunks = steps.filter((s) => s.kind === 'chunk');
    expect(chunks.length).toBe(3);
    expect(text().length).toBe(3000 * 1024);
  });

  it('cancels between reads: the worker is told, nothing more is sent', async () => {
    const controller = new AbortController();
    const piece = new TextEncoder().encode(`${'y'.repeat(1 << 20)}\n`);
    const { steps, send } = recorder();
    const outcome = await streamFlowFile(
      source([piece, piece, piece]),
      3,
      async (step) => {
        const reply = await send(step);
        // The reviewer cancels once the first chunk is in.
        if (step.kind === 'chunk') controller.abort();
        return reply;
      },
      () => undefined,
      controller.signal,
    );
    expect(outcome).toBe('cancelled');
    expect(steps.map((s) => s.kind)).toEqual(['start', 'chunk', 'cancel']);
  });
});
