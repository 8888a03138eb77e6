import * as monaco from 'monaco-editor';
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

if (registry.__netpolAtlasMonacoYaml) void registry.__netpolAtlasMonacoYaml.update(yamlOptions);
else registry.__netpolAtlasMonacoYaml = configureMonacoYaml(monaco, yamlOptions);

export { monaco };
