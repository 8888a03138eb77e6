import { NO_FILTERS } from '../graph/index.ts';
import { EMPTY_HISTORY } from './history.ts';
import { loadPanels } from './panels.ts';
import { SAMPLES } from './samples.ts';
import type { State } from './types.ts';

/** The app opens on the demo, so a first-time user sees a meaningful graph at once. */
export function initialState(): State {
  const demo = SAMPLES[0]!;
  return {
    documents: { files: demo.files, activeFileId: demo.files[0]?.id, sampleId: demo.id },
    view: {
      selection: undefined,
      filters: NO_FILTERS,
      search: '',
      collapsed: [],
      autoCollapse: true,
      panel: 'details',
      main: 'graph',
      reveal: undefined,
      query: { src: '', dst: '', protocol: 'TCP', port: '' },
      cni: 'upstream',
      networks: {},
      layoutEpoch: 0,
      panels: loadPanels(),
    },
    history: EMPTY_HISTORY,
    authoring: {
      baseline: demo.files,
      ranges: [],
      drawing: false,
      compare: false,
      dialog: undefined,
      notice: undefined,
      saveStatus: 'idle',
    },
  };
}
