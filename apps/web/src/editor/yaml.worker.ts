// The monaco-yaml language service runs in its own worker (label 'yaml'); this entry exists so the
// bundler emits it as a local module worker instead of anything fetched at run time.
import 'monaco-yaml/yaml.worker.js';
