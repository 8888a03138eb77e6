import {
  nodeSelection,
  selectAction,
  selectNodes,
  selectSearch,
  setFiltersAction,
  setSearchAction,
  useDerived,
  useStore,
} from '../store/index.ts';
import { PeerCombobox } from './PeerCombobox.tsx';
import { rankPeers } from './peerLookup.ts';

/**
 * Finds a workload or address range by name: the candidates are listed best first (exact, then
 * prefix, then substring matches), and Enter or a click selects one and focuses the graph on it.
 */
export function SearchBox() {
  const search = useStore(selectSearch);
  const setSearch = useStore(setSearchAction);
  const select = useStore(selectAction);
  const setFilters = useStore(setFiltersAction);
  const nodes = useDerived(selectNodes);
  const focus = (id: string) => {
    select(nodeSelection(id));
    setFilters({ focus: id });
  };
  return (
    <div className="field search">
      <PeerCombobox
        type="search"
        label="Search workloads"
        hideLabel
        placeholder="Search workloads…"
        value={search}
        nodes={nodes}
        onChange={setSearch}
        onPick={focus}
        onEnter={(text) => {
          const best = rankPeers(nodes, text, 1)[0];
          if (best) {
            setSearch(best.id);
            focus(best.id);
          }
        }}
      />
    </div>
  );
}
