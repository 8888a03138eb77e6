import { useId } from 'react';
import { useDerived } from '../store/derived.ts';
import { useStore } from '../store/store.ts';

/** Finds a workload by name; Enter selects the first match and focuses the graph on it. */
export function SearchBox() {
  const search = useStore((s) => s.view.search);
  const setSearch = useStore((s) => s.setSearch);
  const select = useStore((s) => s.select);
  const setFilters = useStore((s) => s.setFilters);
  const nodes = useDerived((d) => d.analysis.model?.nodes);
  const listId = useId();
  const q = search.trim().toLowerCase();
  const matches = q === '' ? [] : (nodes ?? []).filter((n) => n.id.toLowerCase().includes(q)).slice(0, 20);
  return (
    <div className="field search">
      <input
        type="search"
        aria-label="Search workloads"
        placeholder="Search workloads…"
        value={search}
        list={listId}
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          const exact = (nodes ?? []).find((n) => n.id === search) ?? matches[0];
          if (!exact) return;
          select({ kind: 'node', id: exact.id });
          setFilters({ focus: exact.id });
        }}
      />
      <datalist id={listId}>
        {matches.map((n) => (
          <option key={n.id} value={n.id} />
        ))}
      </datalist>
    </div>
  );
}
