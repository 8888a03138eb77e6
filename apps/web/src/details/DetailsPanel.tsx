import { useMemo } from 'react';
import { AuthoringActions, DraftRangeDetails, PolicyActions } from '../authoring/index.ts';
import { QueryPanel } from '../explain/index.ts';
import { IsolationBadges } from '../graphView/index.ts';
import {
  admittedIds,
  edgeDegree,
  type NamespaceId,
  type NodeId,
  parseNodeId,
  parsePolicyRef,
} from '../model/index.ts';
import {
  policySelection,
  selectAction,
  selectAnalysisModel,
  selectFocus,
  selectNamespace,
  selectNode,
  selectNodes,
  selectPolicies,
  selectSelection,
  setFiltersAction,
  toggleCollapsedAction,
  useDerived,
  useStore,
} from '../store/index.ts';
import { SourceLink } from '../ui/index.ts';
import { ConnectionDetails } from './ConnectionDetails.tsx';

function NodeDetails({ id }: { id: NodeId }) {
  const node = useDerived(selectNode(id));
  const allPolicies = useDerived(selectPolicies);
  const policies = useMemo(() => allPolicies.filter((p) => p.selects.includes(id)), [allPolicies, id]);
  const model = useDerived(selectAnalysisModel);
  // Counted over the model's columns: a big cluster's million edges are never built for this.
  const { incoming, outgoing } = useMemo(
    () => (model ? edgeDegree(model, id) : { incoming: 0, outgoing: 0 }),
    [model, id],
  );
  const setFilters = useStore(setFiltersAction);
  const focus = useStore(selectFocus);
  const select = useStore(selectAction);
  if (!node) return <p>This workload is no longer in the documents.</p>;
  const workload = parseNodeId(id);
  return (
    <section aria-label="Workload details" className="details">
      <h3>{node.label}</h3>
      <p className="muted">
        <code>{node.id}</code>
      </p>
      <p>
        <IsolationBadges node={node} />
      </p>
      <p>
        {incoming} incoming, {outgoing} outgoing connection{outgoing === 1 ? '' : 's'}{' '}
        <button type="button" onClick={() => setFilters({ focus: focus === id ? undefined : id })}>
          {focus === id ? 'Show everything' : 'Focus on neighbours'}
        </button>
      </p>
      {Object.keys(node.labels).length > 0 && (
        <>
          <h4>Labels</h4>
          <ul className="labels">
            {Object.entries(node.labels).map(([k, v]) => (
              <li key={k}>
                <code>
                  {k}={v}
                </code>
              </li>
            ))}
          </ul>
        </>
      )}
      {node.ports.length > 0 && (
        <>
          <h4>Container ports</h4>
          <ul className="labels">
            {node.ports.map((p) => (
              <li key={`${p.protocol}/${p.port}/${p.name ?? ''}`}>
                <code>
                  {p.protocol} {p.port}
                  {p.name ? ` (${p.name})` : ''}
                </code>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Policies selecting it</h4>
      {policies.length === 0 ? (
        <p>None: every connection in and out is allowed.</p>
      ) : (
        <ul>
          {policies.map((p) => (
            <li key={p.id}>
              <button type="button" className="link" onClick={() => select(policySelection(p.id))}>
                {p.id}
              </button>{' '}
              ({p.types.join(', ')}) <SourceLink source={p.source} />
            </li>
          ))}
        </ul>
      )}
      <SourceLink source={node.source} label="Show in editor" />
      {workload?.kind === 'workload' && (
        <AuthoringActions endpoint={workload.id} target={{ kind: 'workload', id: workload.id }} />
      )}
    </section>
  );
}

function NamespaceDetails({ id, name }: { id: NamespaceId; name: string }) {
  const namespace = useDerived(selectNamespace(name));
  const allNodes = useDerived(selectNodes);
  const allPolicies = useDerived(selectPolicies);
  const toggleCollapsed = useStore(toggleCollapsedAction);
  const workloads = useMemo(() => allNodes.filter((n) => n.namespace === name), [allNodes, name]);
  const policies = useMemo(() => allPolicies.filter((p) => p.namespace === name), [allPolicies, name]);
  if (!namespace) return <p>This namespace is no longer in the documents.</p>;
  const open = workloads.filter((w) => !w.ingressIsolated).length;
  return (
    <section aria-label="Namespace details" className="details">
      <h3>namespace {name}</h3>
      <p>
        {workloads.length} workloads, {policies.length} policies; {open} not isolated for ingress.{' '}
        <button type="button" onClick={() => toggleCollapsed(name)}>
          Expand
        </button>
      </p>
      <h4>Labels</h4>
      <ul className="labels">
        {Object.entries(namespace.labels).map(([k, v]) => (
          <li key={k}>
            <code>
              {k}={v}
            </code>
          </li>
        ))}
      </ul>
      <AuthoringActions endpoint={id} target={{ kind: 'namespace', name }} />
    </section>
  );
}

/** Peers listed under a policy before the rest is summed up: a policy open to every namespace admits them all. */
const MAX_LISTED_PEERS = 100;

function PolicyDetails({ id }: { id: string }) {
  const model = useDerived(selectAnalysisModel);
  const policy = model?.policies.find((p) => p.id === id);
  if (!model || !policy) return <p>This policy is no longer in the documents.</p>;
  const admits = admittedIds(model, policy);
  const networkPolicy = parsePolicyRef(policy.id);
  return (
    <section aria-label="Policy details" className="details">
      <h3>{policy.id}</h3>
      {policy.tier !== 'NetworkPolicy' && (
        <p data-testid="policy.tier">
          {policy.kind} in the <strong className={`tier-name tier-${policy.tier}`}>{policy.tier} tier</strong>
          , priority {policy.priority}: it is evaluated{' '}
          {policy.tier === 'Admin'
            ? 'before every NetworkPolicy (lower priorities first)'
            : 'after the NetworkPolicies, for pods they do not isolate'}
          .
        </p>
      )}
      <p>
        Affects {policy.types.join(' and ')}. <SourceLink source={policy.source} label="Show in editor" />
      </p>
      {networkPolicy?.scope === 'namespace' && <PolicyActions id={networkPolicy.id} />}
      <h4>
        <span className="swatch selects" />{' '}
        {policy.tier === 'NetworkPolicy' ? 'Selects' : 'Its subject selects'} {policy.selects.length}
      </h4>
      <ul>
        {policy.selects.map((w) => (
          <li key={w}>
            <code>{w}</code>
          </li>
        ))}
      </ul>
      <h4>
        <span className="swatch admits" /> Its rules name {admits.length} peer
        {admits.length === 1 ? '' : 's'}
      </h4>
      <ul>
        {admits.slice(0, MAX_LISTED_PEERS).map((w) => (
          <li key={w}>
            <code>{w}</code>
          </li>
        ))}
        {admits.length > MAX_LISTED_PEERS && <li>and {admits.length - MAX_LISTED_PEERS} more</li>}
      </ul>
    </section>
  );
}

/** What the selection is about: a workload, a connection (explained), a policy, or the query form. */
export function DetailsPanel() {
  const selection = useStore(selectSelection);
  const node = selection?.kind === 'node' ? parseNodeId(selection.id) : undefined;
  if (node?.kind === 'draft-range') return <DraftRangeDetails id={node.id} />;
  if (node?.kind === 'namespace') return <NamespaceDetails id={node.id} name={node.namespace} />;
  if (selection?.kind === 'node') return <NodeDetails id={selection.id} />;
  if (selection?.kind === 'policy') return <PolicyDetails id={selection.id} />;
  if (selection?.kind === 'edge')
    return <ConnectionDetails id={selection.id} source={selection.source} target={selection.target} />;
  return <QueryPanel />;
}
