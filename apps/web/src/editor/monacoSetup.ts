// The editor core with its standard features (find, folding, hover, suggestions, the command
// palette) but none of the languages the full `monaco-editor` entry registers: the TypeScript,
// CSS, HTML and JSON language services and workers and some eighty tokenizers would be bundled
// for a YAML editor that never uses them. YAML gets its tokenizer and monaco-yaml's service.
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import { configureMonacoYaml, type MonacoYaml, type MonacoYamlOptions } from 'monaco-yaml';
import { NETWORK_POLICY_SCHEMA_URI, networkPolicySchema } from './networkPolicySchema.ts';

// Monaco, its workers and the YAML language service all come from the bundle: the app must work
// offline (static build, no CDN). Importing this module is what sets that up.
//
// The editor is created with `monaco.editor.create` rather than @monaco-editor/react's <Editor>:
// the pane manages models, view states and markers itself, and importing that package (even just
// for `loader.config({ monaco })`) puts @monaco-editor/loader's default CDN URL into the bundle.
// Anyone adding an @monaco-editor/react component must call `loader.config({ monaco })` with the
// `monaco` exported here, or it will try to load Monaco from the CDN and never mount offline.

// Monaco asks for a worker per label; everything that is not YAML (the editor's own diff/link
// computations) goes to the generic editor worker.
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    if (label === 'yaml') return new Worker(new URL('./yaml.worker.ts', import.meta.url), { type: 'module' });
    return new Worker(new URL('./editor.worker.ts', import.meta.url), { type: 'module' });
  },
};

// Monaco 0.54 cancels pending work (word highlighting, delayed requests) when a model is switched
// or disposed and leaves some of those promises unhandled, so every tab switch could log
// "Uncaught (in promise) Canceled" (microsoft/monaco-editor#4702, fixed upstream in
// microsoft/vscode#285887 but not in this release). Only that exact error is silenced.
self.addEventListener('unhandledrejection', (event) => {
  const reason: unknown = event.reason;
  if (reason instanceof Error && reason.name === 'Canceled' && reason.message === 'Canceled')
    event.preventDefault();
});

/**
 * monaco-yaml may only be configured once per page. The handle lives on `globalThis` so a hot
 * reload of this module reconfigures the same instance instead of stacking a second one.
 */
const registry = globalThis as typeof globalThis & { __netpolAtlasMonacoYaml?: MonacoYaml };

const yamlOptions = {
  // The schema is inline; nothing may be downloaded.
  enableSchemaRequest: false,
  hover: true,
  completion: true,
  validate: true,
  format: { enable: true },
  schemas: [
    {
      // Every document: the schema itself only checks `kind: NetworkPolicy` documents.
      fileMatch: ['*'],
      uri: NETWORK_POLICY_SCHEMA_URI,
      schema: networkPolicySchema,
    },
  ],
} satisfies MonacoYamlOptions;

/** What monaco-yaml (through monaco-worker-manager) asks `editor.createWebWorker` for. */
interface LabelledWorkerOptions {
  label?: string;
  moduleId: string;
  createData?: unknown;
  keepIdleModels?: boolean;
}

/**
 * The full entry's `editor.createWebWorker`, which the core lacks: it takes a worker label (as
 * monaco-yaml gives it), gets the worker from MonacoEnvironment.getWorker and hands it its
 * creation data (the worker's first message is a start signal, the second the data), then lets
 * the core talk to it.
 */
function createLabelledWebWorker<T extends object>(
  options: LabelledWorkerOptions,
): monaco.editor.MonacoWebWorker<T> {
  const label = options.label ?? 'monaco-editor-worker';
  const worker = Promise.resolve(self.MonacoEnvironment!.getWorker!('workerMain.js', label)).then((w) => {
    w.postMessage('ignore');
    w.postMessage(options.createData);
    return w;
  });
  return monaco.editor.createWebWorker<T>({ worker, keepIdleModels: options.keepIdleModels });
}

/** The core API with the labelled worker factory, for monaco-yaml. */
const monacoForYaml = {
  ...monaco,
  editor: { ...monaco.editor, createWebWorker: createLabelledWebWorker },
} as unknown as Parameters<typeof configureMonacoYaml>[0];

if (registry.__netpolAtlasMonacoYaml) void registry.__netpolAtlasMonacoYaml.update(yamlOptions);
else registry.__netpolAtlasMonacoYaml = configureMonacoYaml(monacoForYaml, yamlOptions);

export { monaco };
