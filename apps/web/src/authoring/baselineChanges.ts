/** A file that differs from the baseline; `before` undefined for a new file, `after` '' for a removed one. */
export interface ChangedFile {
  path: string;
  before: string | undefined;
  after: string;
  removed: boolean;
}

/** The files that differ from the baseline, in workspace order, removed files last. */
export function changedFiles(
  files: readonly { path: string; text: string }[],
  baseline: readonly { path: string; text: string }[],
): ChangedFile[] {
  const before = new Map(baseline.map((f) => [f.path, f.text]));
  const now = new Set(files.map((f) => f.path));
  const out: ChangedFile[] = [];
  for (const f of files) {
    const old = before.get(f.path);
    if (old !== f.text) out.push({ path: f.path, before: old, after: f.text, removed: false });
  }
  for (const f of baseline) {
    if (!now.has(f.path)) out.push({ path: f.path, before: f.text, after: '', removed: true });
  }
  return out;
}
