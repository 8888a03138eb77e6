import { defineConfig } from 'vitest/config';

// Vitest 4 reads projects from here (vitest.workspace.ts is ignored). Playwright specs in e2e/
// are run by Playwright, never by Vitest.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'manifests', include: ['packages/manifests/src/**/*.test.ts'] } },
      { test: { name: 'evaluator', include: ['packages/evaluator/src/**/*.test.ts'] } },
      { test: { name: 'authoring', include: ['packages/authoring/src/**/*.test.ts'] } },
      { test: { name: 'cli', include: ['apps/cli/src/**/*.test.ts'] } },
      { test: { name: 'proxy', include: ['apps/proxy/src/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'web', include: ['apps/web/src/**/*.test.ts'] } },
      { test: { name: 'bench', include: ['bench/**/*.test.ts'] } },
      {
        test: {
          name: 'conformance',
          include: ['conformance/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
