import type { CliIO } from './io.ts';

/**
 * About how many characters go to the stream in one write: pieces of a few characters are
 * gathered (a write per line would cost more than the line), larger ones go as they are.
 */
const WRITE_CHARS = 64 * 1024;

/**
 * Writes a command's output, given whole or in pieces, to the file `file` (created or emptied)
 * or else to stdout, waiting whenever stdout is full (backpressure), so that an output of
 * hundreds of megabytes is never held in memory. On stdout an output that does not end with a
 * newline gets one, as netpol-analyzer's json and dot outputs print.
 */
export async function writeText(
  io: CliIO,
  output: string | Iterable<string>,
  file: string | undefined,
): Promise<void> {
  const sink = file === undefined ? undefined : io.createFile(file);
  const write = (text: string) => (sink ? sink.write(text) : io.stdout(text));
  let pending = '';
  let last = '';
  for (const piece of typeof output === 'string' ? [output] : output) {
    if (piece === '') continue;
    pending += piece;
    last = piece;
    if (pending.length >= WRITE_CHARS) {
      const full = write(pending);
      pending = '';
      if (full) await full;
    }
  }
  if (sink) {
    if (pending !== '') sink.write(pending);
    sink.close();
    return;
  }
  if (!last.endsWith('\n')) pending += '\n';
  await write(pending);
}
