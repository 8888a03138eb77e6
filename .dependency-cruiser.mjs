// The repository's dependency boundaries, checked by `pnpm lint` (dependency-cruiser).
//
// The rules are grouped in named lists so another part of the repo can add its own without
// touching the others: append to `forbidden` at the bottom (the web app's feature-folder rules
// go in `webFeatureRules`).

import webFeatureRules from './apps/web/.dependency-cruiser-web.cjs';

/**
 * Unit tests are not cruised: they may read fixtures from disk with Node, and they reach across
 * layers on purpose (package tests read the shared conformance corpus, whose runner drives the
 * CLI), which would show up as folder cycles that say nothing about the code's layering.
 */
const TEST_FILE = '\\.test(-helper)?\\.ts$';

/** UI libraries: only apps/web may use them (matched resolved or, if unresolvable, by name). */
const UI_LIBRARIES =
  '(^|node_modules/)(react|react-dom|scheduler|@xyflow|zustand|monaco-editor|monaco-yaml|@monaco-editor|elkjs|@types/react|@types/react-dom)(/|$)';

/** Packages are pure TypeScript: no apps, no UI, no Node, and one-way layers between them. */
const packageRules = [
  {
    name: 'package-imports-app',
    comment: 'packages/* are the core every app shares: they never import an app.',
    severity: 'error',
    from: { path: '^packages/' },
    to: { path: '^apps/' },
  },
  {
    name: 'package-imports-ui',
    comment: 'packages/* never import React or other UI code (the DOM is kept out by their tsconfig lib).',
    severity: 'error',
    from: { path: '^packages/' },
    to: { path: UI_LIBRARIES },
  },
  {
    name: 'package-imports-node',
    comment: 'packages/* run in the browser and in workers too: no `node:` or other Node built-ins.',
    severity: 'error',
    from: { path: '^packages/' },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'package-deep-import',
    comment: 'Another package is used through its public API (src/index.ts), never its internal modules.',
    severity: 'error',
    from: { path: '^packages/([^/]+)/' },
    to: { path: '^packages/([^/]+)/src/', pathNot: ['^packages/$1/', '^packages/[^/]+/src/index\\.ts$'] },
  },
  {
    name: 'app-deep-import',
    comment: 'Apps, bench, conformance and e2e use a package through its public API (src/index.ts) only.',
    severity: 'error',
    from: { path: '^(apps|bench|conformance|e2e|scripts)/' },
    to: { path: '^packages/[^/]+/src/', pathNot: '^packages/[^/]+/src/index\\.ts$' },
  },
  {
    name: 'app-imports-app',
    comment: 'Each app stands alone; what two apps share belongs in a package.',
    severity: 'error',
    from: { path: '^apps/([^/]+)/' },
    to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
  },
];

/** Code that must form a tree of layers, module by module and folder by folder. */
const LAYERED = '^(packages|apps/(cli|proxy|web))/';

/** No import cycles, type-only imports included (a cycle of types still ties two modules together). */
const cycleRules = [
  {
    name: 'no-circular',
    comment: 'Modules form a tree of layers: a cycle means two modules are really one, or one is misplaced.',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
  {
    name: 'no-folder-cycles',
    comment:
      'Folders form a tree of layers too: two folders that import each other are one feature, or a layer is mixed up.',
    severity: 'error',
    scope: 'folder',
    from: { path: LAYERED },
    to: { circular: true },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [...packageRules, ...cycleRules, ...webFeatureRules],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '^\\.test-results/', TEST_FILE] },
    // Type-only imports count: they are boundaries too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
