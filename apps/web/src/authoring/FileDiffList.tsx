import { FileDiff } from './FileDiff.tsx';

/** The YAML diff of every file a change touches. */
export function FileDiffList({
  files,
}: {
  files: readonly { path: string; before: string | undefined; after: string }[];
}) {
  return (
    <section className="file-diffs" aria-label="YAML changes per file">
      <h4>
        YAML changes ({files.length} file{files.length === 1 ? '' : 's'})
      </h4>
      {files.map((f) => (
        <FileDiff key={f.path} path={f.path} before={f.before} after={f.after} />
      ))}
    </section>
  );
}
