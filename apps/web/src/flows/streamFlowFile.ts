import type { FlowImportProgress, FlowImportStep } from '../workspace/index.ts';

/** Characters sent to the worker at a time: large enough that a 1 GB file is a thousand messages, small enough to show progress. */
const CHUNK_CHARS = 1 << 20;

/** What a flow file is read from: a `File`, or a sample's text wrapped in one. */
export interface FlowSource {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

/** How far the import got: bytes read of the file's size, and what the worker made of them. */
export interface StreamProgress extends FlowImportProgress {
  bytes: number;
  size: number;
}

/**
 * Streams a flow file into the worker: read with `File.stream()`, decoded as UTF-8 (a character
 * split between two reads is kept for the next), sent in chunks of about a million characters,
 * each sent when the worker has read the one before (so memory stays bounded whatever the
 * file's size). `signal` cancels between chunks: the worker drops what it read.
 */
export async function streamFlowFile(
  source: FlowSource,
  id: number,
  send: (step: FlowImportStep) => Promise<FlowImportProgress | undefined>,
  onProgress: (progress: StreamProgress) => void,
  signal: AbortSignal,
): Promise<'done' | 'cancelled'> {
  await send({ id, kind: 'start', name: source.name });
  const reader = source.stream().getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let pending = '';
  const cancel = async () => {
    await reader.cancel().catch(() => undefined);
    await send({ id, kind: 'cancel' });
    return 'cancelled' as const;
  };
  const flush = async () => {
    const text = pending;
    pending = '';
    const progress = await send({ id, kind: 'chunk', text });
    if (progress) onProgress({ ...progress, bytes, size: source.size });
  };
  for (;;) {
    if (signal.aborted) return cancel();
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    pending += decoder.decode(value, { stream: true });
    if (pending.length >= CHUNK_CHARS) await flush();
  }
  pending += decoder.decode();
  if (pending !== '') await flush();
  if (signal.aborted) return cancel();
  const progress = await send({ id, kind: 'end' });
  if (progress) onProgress({ ...progress, bytes, size: source.size });
  return 'done';
}
