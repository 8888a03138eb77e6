import { defineConfig } from 'vitest/config';

// Vitest 4 reads projects from here (vitest.workspace.ts is ignored). Playwright specs in e2e/
// are run by Playwright, never by Vitest.

// Tests check results, not speed. Vitest's 5 s default turns a busy 2-core CI machine into
// failures (seed-sized clusters take 1-5 s idle), so every project gets a budget only a hang
// reaches; the heaviest property tests state a larger one of their own.
const TEST_TIMEOUT_MS = 30_000;

export default defineConfig({
  test: {
    // Inline projects do not inherit the root's options: each states its budget.
    projects: [
      {
        test: {
          name: 'manifests',
          include: ['packages/manifests/src/**/*.test.ts'],
          testTimeout: TEST_TIMEOUT_MS,
        },
      },
      {
        test: {
          name: 'evaluator',
          include: ['packages/evaluator/src/**/*.test.ts'],
          testTimeout: TEST_TIMEOUT_MS,
        },
      },
      {
        test: {
          name: 'workspace',
          include: ['packages/workspace/src/**/*.test.ts'],
          testTimeout: TEST_TIMEOUT_MS,
        },
      },
      {
        test: {
          name: 'authoring',
          include: ['packages/authoring/src/**/*.test.ts'],
          testTimeout: TEST_TIMEOUT_MS,
        },
      },
      {
        test: {
          name: 'reports',
          include: ['packages/reports/src/**/*.test.ts'],
          testTimeout: TEST_TIMEOUT_MS,
        },
      },
      {
        test: {
          name: 'flows',
          include: ['packages/flows/src/**/*.test.ts'],
          testTimeout: TEST_TIMEOUT_MS,
        },
      },
      { test: { name: 'cli', include: ['apps/cli/src/**/*.test.ts'], testTimeout: TEST_TIMEOUT_MS } },
      { test: { name: 'proxy', include: ['apps/proxy/src/**/*.test.ts'], testTimeout: TEST_TIMEOUT_MS } },
      { test: { name: 'web', include: ['apps/web/src/**/*.test.ts'], testTimeout: TEST_TIMEOUT_MS } },
      { test: { name: 'bench', include: ['bench/**/*.test.ts'], testTimeout: 60_000 } },
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
