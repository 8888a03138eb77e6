import type { ManifestFile } from '@netpol-atlas/live-protocol';
import { downloadFile } from '../ui/index.ts';

/** The File System Access API subset used to write a folder (Chromium). */
export interface DirectoryHandleLike {
  getDirectoryHandle(name: string, options: { create: boolean }): Promise<DirectoryHandleLike>;
  getFileHandle(
    name: string,
    options: { create: boolean },
  ): Promise<{ createWritable(): Promise<{ write(data: string): Promise<void>; close(): Promise<void> }> }>;
}

/** Path segments of a bundle file, refusing anything that could climb out of the chosen folder. */
export function safeSegments(path: string): string[] {
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) {
    throw new Error(`refusing to write ${JSON.stringify(path)}`);
  }
  return segments;
}

/** Writes every file of the bundle under `root`, creating folders as needed. Returns the count. */
export async function saveToFolder(
  files: readonly ManifestFile[],
  root: DirectoryHandleLike,
): Promise<number> {
  for (const file of files) {
    const segments = safeSegments(file.path);
    let dir = root;
    for (const segment of segments.slice(0, -1))
      dir = await dir.getDirectoryHandle(segment, { create: true });
    const handle = await dir.getFileHandle(segments.at(-1)!, { create: true });
    const writable = await handle.createWritable();
    await writable.write(file.text);
    await writable.close();
  }
  return files.length;
}

/**
 * The whole bundle as one multi-document YAML stream (the same shape as the proxy's
 * `/api/snapshot?format=yaml`), which "Open files…" reads back.
 */
export function bundleText(files: readonly ManifestFile[]): string {
  return files
    .map((f) => `# file: ${f.path}\n${f.text.endsWith('\n') ? f.text : `${f.text}\n`}`)
    .join('---\n');
}

/** A file name for a snapshot of `context` taken at `when`. */
export function snapshotName(context: string, when: Date): string {
  const stamp = when
    .toISOString()
    .replace(/[:.]/g, '-')
    .replace(/-\d\d\dZ$/, 'Z');
  return `netpol-atlas-${context.replace(/[^A-Za-z0-9._-]+/g, '_')}-${stamp}.yaml`;
}

type PickerWindow = Window & {
  showDirectoryPicker?: (options?: { mode?: 'readwrite' }) => Promise<DirectoryHandleLike>;
};

/**
 * Saves the snapshot as files: into a folder the user picks where the browser can (the layout
 * is `<context>/<namespace>/<resource>.yaml`), else as one YAML download. Returns what happened,
 * for the panel to say.
 */
export async function saveSnapshot(
  files: readonly ManifestFile[],
  context: string,
  when: Date,
): Promise<string> {
  const picker = (window as PickerWindow).showDirectoryPicker;
  if (picker) {
    let root: DirectoryHandleLike;
    try {
      root = await picker.call(window, { mode: 'readwrite' });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return 'Not saved';
      throw error;
    }
    const count = await saveToFolder(files, root);
    return `Saved ${count} file${count === 1 ? '' : 's'}`;
  }
  downloadFile(snapshotName(context, when), bundleText(files), 'application/yaml');
  return 'Downloaded the snapshot as one YAML file';
}
