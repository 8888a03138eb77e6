// The web app's boundaries, for the repository's dependency-cruiser config: spread this list into
// its `webFeatureRules` (.dependency-cruiser.mjs imports it). Cycles (module and folder) are the repository-wide rules, apps/web included.
//
// apps/web/src is one folder per feature (graph/, authoring/, review/, ...) plus a few layers
// (model/ for plain data, store/ for state, ui/ for generic widgets). A folder is used from
// outside only through its index.ts, so what a feature offers is written down in one place and
// its files can move or split freely. Each folder's own files import each other directly.

const WEB = '^apps/web/src/';

/** @type {import('dependency-cruiser').IForbiddenRuleType[]} */
module.exports = [
  {
    name: 'web-folder-through-index',
    comment:
      'A feature folder is used from another folder only through its index.ts. Dynamic imports are ' +
      'exempt: a lazy chunk (AuthoringDialogs, EditorPane) is loaded by its own module so it stays ' +
      'out of the main bundle. CSS is imported by the component it styles.',
    severity: 'error',
    from: { path: `${WEB}([^/]+)/` },
    to: {
      path: `${WEB}[^/]+/`,
      pathNot: [`${WEB}$1/`, `${WEB}[^/]+/index\\.ts$`, '\\.css$'],
      dependencyTypesNot: ['dynamic-import'],
    },
  },
  {
    name: 'web-entry-through-index',
    comment: 'main.tsx starts the app through app/index.ts (and loads the global stylesheets).',
    severity: 'error',
    from: { path: `${WEB}main\\.tsx$` },
    to: { path: `${WEB}[^/]+/`, pathNot: [`${WEB}[^/]+/index\\.ts$`, '\\.css$'] },
  },
  {
    name: 'web-model-is-data',
    comment: 'model/ holds the plain data every feature shares: it imports no other folder of the app.',
    severity: 'error',
    from: { path: `${WEB}model/` },
    to: { path: WEB, pathNot: `${WEB}model/` },
  },
  {
    name: 'web-store-below-features',
    comment:
      'The store is a layer under the features: it knows the data (model/) and the pure graph ' +
      'pipeline (graph/), never a feature, so no feature and the store import each other both ways.',
    severity: 'error',
    from: { path: `${WEB}store/` },
    to: { path: WEB, pathNot: [`${WEB}(store|model|graph)/`] },
  },
  {
    name: 'web-graph-pipeline-is-pure',
    comment:
      'graph/ is the pure pipeline (filter, group, layout, flow elements) the analysis worker runs ' +
      'too: no React, no store, no other feature. The React side lives in graphView/.',
    severity: 'error',
    from: { path: `${WEB}graph/` },
    to: {
      path: [`${WEB}`, '(^|node_modules/)(react|react-dom|zustand)(/|$)'],
      pathNot: [`${WEB}(graph|model)/`],
    },
  },
  {
    name: 'web-ui-is-generic',
    comment: 'ui/ holds generic widgets: they may read the store and the data, never a feature.',
    severity: 'error',
    from: { path: `${WEB}ui/` },
    to: { path: WEB, pathNot: [`${WEB}(ui|store|model)/`] },
  },
];
