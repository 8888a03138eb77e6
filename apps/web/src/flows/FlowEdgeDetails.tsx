import { useState } from 'react';
import './flows.css';
import { ExplainView } from '../explain/index.ts';
import { SourceLink } from '../ui/index.ts';
import type { FlowItemView, FlowRuleView } from '../workspace/index.ts';
import { formatTime, ruleText } from './flowText.ts';
import { useFlowsOnEdge } from './useFlowsOnEdge.ts';

/** Flows listed under one edge before the rest is summed up. */
const MAX_LISTED = 200;

function RuleLine({ rule }: { rule: FlowRuleView }) {
  return (
    <li data-testid="flow.rule" className={rule.action === 'deny' ? 'flow-verdict denied' : undefined}>
      {ruleText(rule)} <SourceLink source={rule.source} />
    </li>
  );
}

function end(id: string, address: string | undefined): string {
  return address ? `${address} (${id})` : id;
}

function FlowRow({ flow }: { flow: FlowItemView }) {
  const [open, setOpen] = useState(false);
  return (
    <li data-testid={`flow.${flow.denied ? 'denied' : 'allowed'}`}>
      <div>
        <span className={`flow-verdict ${flow.denied ? 'denied' : 'allowed'}`}>
          {flow.denied ? `✕ denied (${flow.deniedBy.join(' and ')})` : '✓ allowed'}
        </span>{' '}
        <code>
          {flow.protocol} {flow.port}
        </code>{' '}
        · {flow.count.toLocaleString('en')} connection{flow.count === 1 ? '' : 's'}
        {flow.dropped > 0 && ` (${flow.dropped} dropped by the recorder)`}
      </div>
      <div className="muted">
        {end(flow.src, flow.srcAddress)} → {end(flow.dst, flow.dstAddress)}
      </div>
      <div className="muted">
        first seen {formatTime(flow.firstSeen)}, last seen {formatTime(flow.lastSeen)} · line {flow.line}
      </div>
      <ul>
        {flow.rules.map((r) => (
          <RuleLine key={`${r.side}/${r.layer}/${r.policies.join()}/${r.rule}`} rule={r} />
        ))}
      </ul>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide the explanation' : 'Explain every tier'}
      </button>
      {open && (
        <ExplainView src={flow.src} dst={flow.dst} query={{ protocol: flow.protocol, port: flow.port }} />
      )}
    </li>
  );
}

/** The observed flows behind a selected edge, each with its verdict and the deciding rule of every side. */
export function FlowEdgeDetails({ source, target }: { source: string; target: string }) {
  const flows = useFlowsOnEdge(source, target);
  if (flows.length === 0) return null;
  const denied = flows.filter((f) => f.denied).length;
  return (
    <section aria-label="Observed flows" data-testid="flows.edge">
      <h4>
        Observed flows: {flows.length}
        {denied > 0 && <span className="flow-verdict denied"> ({denied} denied by the policies)</span>}
      </h4>
      <ul className="flow-list">
        {flows.slice(0, MAX_LISTED).map((f) => (
          <FlowRow key={f.key} flow={f} />
        ))}
        {flows.length > MAX_LISTED && <li>and {flows.length - MAX_LISTED} more</li>}
      </ul>
    </section>
  );
}
