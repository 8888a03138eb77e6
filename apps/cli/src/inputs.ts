import type { SourceFile } from '@netpol-atlas/manifests';
import type { CliIO } from './io.ts';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Raised when the inputs cannot be read at all (nothing to analyse). */
export class InputError extends Error {}

/**
 * Reads manifest files from paths: files as given, directories recursively (only .yaml, .yml and
 * .json files, sorted for stable output), `-` for standard input.
 */
export async function readInputs(io: CliIO, paths: readonly string[]): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const path of paths) {
    if (path === '-') {
      files.push({ path: '<stdin>', text: await io.readStdin() });
      continue;
    }
    const kind = io.stat(path);
    if (kind === undefined) throw new InputError(`the path ${path} does not exist`);
    if (kind === 'file') {
      files.push({ path, text: io.readFile(path) });
      continue;
    }
    const found = walk(io, path);
    if (found.length === 0) {
      throw new InputError(
        `${path}: no manifest files found; recognized file extensions are ${MANIFEST_EXTENSIONS.join(', ')}`,
      );
    }
    for (const file of found) files.push({ path: file, text: io.readFile(file) });
  }
  return files;
}

function walk(io: CliIO, dir: string): string[] {
  const out: string[] = [];
  for (const name of io.readDir(dir).sort()) {
    const path = io.join(dir, name);
    const kind = io.stat(path);
    if (kind === 'directory') out.push(...walk(io, path));
    else if (kind === 'file' && MANIFEST_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext)))
      out.push(path);
  }
  return out;
}
