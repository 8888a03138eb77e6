import { useConnectivityDiff } from '../authoring/index.ts';
import { openDialogAction, setCompareAction, useStore } from '../store/index.ts';

/** Over the graph in compare mode: how many connections differ from the baseline, and the ways out. */
export function DiffBar() {
  const { status, diff } = useConnectivityDiff();
  const openDialog = useStore(openDialogAction);
  const setCompare = useStore(setCompareAction);
  const count = (type: string) => diff?.changes.filter((c) => c.type === type).length ?? 0;
  return (
    <section className="diff-bar" aria-label="Compared with the baseline">
      <output aria-live="polite" data-testid="diff.summary">
        {status === 'ready' ? (
          <>
            <span className="diff-count added">+{count('added')} added</span>{' '}
            <span className="diff-count removed">−{count('removed')} removed</span>{' '}
            <span className="diff-count changed">~{count('changed')} changed</span> since the baseline
          </>
        ) : status === 'failed' ? (
          'Could not compare with the baseline'
        ) : (
          'Comparing with the baseline…'
        )}
      </output>
      <button type="button" onClick={() => openDialog({ kind: 'changes' })}>
        Review changes…
      </button>
      <button type="button" onClick={() => setCompare(false)}>
        Stop comparing
      </button>
    </section>
  );
}
