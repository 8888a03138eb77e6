/** A file read from the user's disk, drop or paste. */
export interface ImportedFile {
  path: string;
  text: string;
}

import { isFlowFile } from './flowFile.ts';

const MANIFEST = /\.(ya?ml|json)$/i;

/** True for names the app reads as manifests (the same extensions as the CLI). */
export function isManifestName(name: string): boolean {
  return MANIFEST.test(name);
}

/** What was picked or dropped: manifests read as text, flow files left unread (they may be 1 GB), the rest skipped. */
interface ReadFiles {
  files: ImportedFile[];
  skipped: string[];
  flowFiles: File[];
}

/** Reads picked files (from an `<input type=file>`, with or without `webkitdirectory`). */
export async function readFileList(list: FileList | readonly File[]): Promise<ReadFiles> {
  const files: ImportedFile[] = [];
  const skipped: string[] = [];
  const flowFiles: File[] = [];
  for (const file of Array.from(list)) {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    if (await isFlowFile(file)) {
      flowFiles.push(file);
      continue;
    }
    if (!isManifestName(path)) {
      skipped.push(path);
      continue;
    }
    files.push({ path, text: await file.text() });
  }
  return { files, skipped, flowFiles };
}

type Entry = FileSystemEntry;

function readEntries(reader: FileSystemDirectoryReader): Promise<Entry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: Entry, out: File[], paths: string[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push(file);
    paths.push(entry.fullPath.replace(/^\//, ''));
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns at most ~100 entries per call: keep reading until it returns none.
  for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, out, paths);
  }
}

/** Reads dropped files and folders (recursively), keeping their relative paths. */
export async function readDataTransfer(data: DataTransfer): Promise<ReadFiles> {
  const entries = Array.from(data.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is Entry => e !== null && e !== undefined);
  if (entries.length === 0) return readFileList(data.files);
  const found: File[] = [];
  const paths: string[] = [];
  for (const entry of entries) await walk(entry, found, paths);
  const files: ImportedFile[] = [];
  const skipped: string[] = [];
  const flowFiles: File[] = [];
  for (const [i, file] of found.entries()) {
    const path = paths[i] ?? file.name;
    if (await isFlowFile(file)) flowFiles.push(file);
    else if (isManifestName(path)) files.push({ path, text: await file.text() });
    else skipped.push(path);
  }
  return { files, skipped, flowFiles };
}
