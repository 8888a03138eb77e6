// Monaco's generic editor worker (diffs, links, word ranges). A local entry, because
// `new URL('monaco-editor/…', import.meta.url)` is resolved as a relative file, not a package.
import 'monaco-editor/esm/vs/editor/editor.worker';
