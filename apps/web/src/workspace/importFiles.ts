/** A file read from the user's disk, drop or paste. */
export interface ImportedFile {
  path: string;
  text: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** True for names the app reads as manifests (the same extensions as the CLI). */
export function isManifestName(name: string): boolean {
  return MANIFEST.test(name);
}

/** Reads picked files (from an `<input type=file>`, with or without `webkitdirectory`). */
export async function readFileList(
  list: FileList | readonly File[],
): Promise<{ files: ImportedFile[]; skipped: string[] }> {
  const files: ImportedFile[] = [];
  const skipped: string[] = [];
  for (const file of Array.from(list)) {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    if (!isManifestName(path)) {
      skipped.push(path);
      continue;
    }
    files.push({ path, text: await file.text() });
  }
  return { files, skipped };
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
export async function readDataTransfer(
  data: DataTransfer,
): Promise<{ files: ImportedFile[]; skipped: string[] }> {
  const entries = Array.from(data.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is Entry => e !== null && e !== undefined);
  if (entries.length === 0) return readFileList(data.files);
  const found: File[] = [];
  const paths: string[] = [];
  for (const entry of entries) await walk(entry, found, paths);
  const files: ImportedFile[] = [];
  const skipped: string[] = [];
  for (const [i, file] of found.entries()) {
    const path = paths[i] ?? file.name;
    if (isManifestName(path)) files.push({ path, text: await file.text() });
    else skipped.push(path);
  }
  return { files, skipped };
}
