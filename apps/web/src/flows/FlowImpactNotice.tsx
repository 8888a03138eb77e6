import { useEffect, useMemo, useState } from 'react';
import './flows.css';
import { selectCni, selectFiles, useStore } from '../store/index.ts';
import { type FlowImpactView, flowsClient } from '../workspace/index.ts';
import { selectFlowsLoaded } from './flowsSelectors.ts';
import { useFlows } from './flowsStore.ts';
import { type FileText, withEdits } from './flowText.ts';

/** Denied flows listed before the rest is summed up. */
const MAX_LISTED = 50;

type ImpactState =
  | { status: 'idle' }
  | { status: 'computing' }
  | { status: 'ready'; impact: FlowImpactView }
  | { status: 'failed'; message: string };

/** Asks the worker what going from `before` to `after` does to the imported flows. */
function useFlowImpact(before: readonly FileText[], after: readonly FileText[]): ImpactState {
  const loaded = useFlows(selectFlowsLoaded);
  const cni = useStore(selectCni);
  const [state, setState] = useState<ImpactState>({ status: 'idle' });
  useEffect(() => {
    if (!loaded) {
      setState({ status: 'idle' });
      return;
    }
    let live = true;
    setState({ status: 'computing' });
    flowsClient()
      .request('flowsImpact', {
        before: before.map((f) => ({ path: f.path, text: f.text })),
        after: after.map((f) => ({ path: f.path, text: f.text })),
        cluster: { cni },
      })
      .then(
        (reply) => {
          if (live && reply)
            setState(reply.impact ? { status: 'ready', impact: reply.impact } : { status: 'idle' });
        },
        (error: unknown) => {
          if (live)
            setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
        },
      );
    return () => {
      live = false;
    };
  }, [loaded, before, after, cni]);
  return state;
}

/**
 * The staged check of a change against the imported flows: "this change would deny N observed
 * flows", listed, or that it denies none. Shows nothing when no flows are imported.
 */
export function FlowImpactNotice({
  before,
  after,
}: {
  before: readonly FileText[];
  after: readonly FileText[];
}) {
  const state = useFlowImpact(before, after);
  if (state.status === 'idle') return null;
  if (state.status === 'computing')
    return (
      <p role="status" className="flow-impact">
        Checking the change against the observed flows…
      </p>
    );
  if (state.status === 'failed')
    return <p className="error">Could not check the change against the observed flows: {state.message}</p>;
  const { newlyDenied, newlyAllowed, newlyDeniedConnections } = state.impact;
  return (
    <section
      className={`flow-impact ${newlyDenied.length > 0 ? 'breaks' : ''}`}
      aria-label="Observed flows"
      data-testid="flows.impact"
    >
      {newlyDenied.length === 0 ? (
        <p>✓ This change denies none of the observed flows.</p>
      ) : (
        <>
          <p role="alert">
            ⚠ This change would deny <strong>{newlyDenied.length}</strong> observed flow
            {newlyDenied.length === 1 ? '' : 's'} ({newlyDeniedConnections.toLocaleString('en')} connection
            {newlyDeniedConnections === 1 ? '' : 's'}).
          </p>
          <ul>
            {newlyDenied.slice(0, MAX_LISTED).map((f) => (
              <li key={f.key}>
                <code>{f.srcAddress ?? f.src}</code> → <code>{f.dstAddress ?? f.dst}</code> {f.protocol}/
                {f.port}: {f.count.toLocaleString('en')} (denied by {f.deniedBy.join(' and ')})
              </li>
            ))}
            {newlyDenied.length > MAX_LISTED && <li>and {newlyDenied.length - MAX_LISTED} more</li>}
          </ul>
        </>
      )}
      {newlyAllowed.length > 0 && (
        <p className="muted">
          It allows {newlyAllowed.length} observed flow{newlyAllowed.length === 1 ? '' : 's'} the policies
          deny now.
        </p>
      )}
    </section>
  );
}

/** The staged check of a drawn plan: the documents now against the documents with its edits. */
export function PlanFlowImpact({ edits }: { edits: readonly { path: string; after: string }[] }) {
  const files = useStore(selectFiles);
  const after = useMemo(() => withEdits(files, edits), [files, edits]);
  return <FlowImpactNotice before={files} after={after} />;
}
