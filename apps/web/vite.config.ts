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
    include: ['monaco-editor/esm/vs/editor/editor.worker', 'monaco-yaml/yaml.worker.js'],
  },
  build: { outDir: 'dist', chunkSizeWarningLimit: 8000 },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
});
