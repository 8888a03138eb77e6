import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The static build must work with no server at all: relative asset paths, everything bundled
// (Monaco included), samples copied from the repository's public/ folder.
export default defineConfig({
  base: './',
  publicDir: '../../public',
  plugins: [react()],
  worker: { format: 'es' },
  optimizeDeps: {
    include: [
      'monaco-editor/esm/vs/editor/editor.worker',
      'monaco-yaml/yaml.worker.js',
      // The editor is imported piece by piece (editor/monacoSetup.ts): name the pieces so that
      // the dev server bundles them up front instead of reloading the page when it finds them.
      'monaco-editor/esm/vs/editor/edcore.main.js',
      'monaco-editor/esm/vs/editor/editor.api.js',
      'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js',
    ],
  },
  build: { outDir: 'dist', chunkSizeWarningLimit: 8000 },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
});
