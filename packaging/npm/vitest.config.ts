import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The package smoke test (scripts/test.mjs runs it as its own step). Packing builds the web app, so
// the hook gets a budget only a hang reaches; the tests start real processes and get one too.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../', import.meta.url)),
    include: ['packaging/npm/**/*.test.ts'],
    hookTimeout: 900_000,
    testTimeout: 180_000,
  },
});
