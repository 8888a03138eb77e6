import { describePeers, type PeerForm, type RuleForm } from '@netpol-atlas/authoring';
import { Fragment } from 'react';
import { PeerEditor } from './PeerEditor.tsx';
import { PortRowsEditor } from './PortRowsEditor.tsx';
import { emptySelector } from './policyFormModel.ts';

/**
 * One ingress or egress rule: its peers (alternatives, shown with "OR" between them), its ports,
 * the rule in words, and the AND/OR trap spelled out when the rule looks like it fell into it.
 */
export function RuleEditor({
  label,
  rule,
  namespace,
  onChange,
  onRemove,
}: {
  label: string;
  rule: RuleForm;
  namespace: string;
  onChange: (rule: RuleForm) => void;
  onRemove: () => void;
}) {
  const description = describePeers(rule, namespace);
  const setPeers = (peers: PeerForm[]) => onChange({ ...rule, peers });
  return (
    <fieldset className="rule-editor">
      <legend>{label}</legend>
      <p className="rule-text">
        {description.all ? 'Admits everyone: no peers are listed.' : `Admits ${description.text}.`}
      </p>
      {description.warnings.map((w) => (
        <p key={w} className="trap-warning" data-testid="form.trap">
          ⚠ {w}
        </p>
      ))}
      {rule.peers.map((peer, i) => (
        <Fragment key={`peer-${i.toString()}`}>
          {i > 0 && (
            <div className="combinator or" data-testid="form.or" title="Either peer admits the connection">
              OR
            </div>
          )}
          <PeerEditor
            label={`${label}, peer ${i + 1}`}
            peer={peer}
            description={description.peers[i]}
            onChange={(next) => setPeers(rule.peers.map((p, j) => (j === i ? next : p)))}
            onRemove={() => setPeers(rule.peers.filter((_, j) => j !== i))}
          />
        </Fragment>
      ))}
      <div className="button-group small">
        <button
          type="button"
          onClick={() =>
            setPeers([
              ...rule.peers,
              { kind: 'pods', namespaceSelector: undefined, podSelector: emptySelector() },
            ])
          }
        >
          + Pods peer
        </button>
        <button
          type="button"
          onClick={() => setPeers([...rule.peers, { kind: 'ipBlock', cidr: '', except: [] }])}
        >
          + ipBlock peer
        </button>
      </div>
      <PortRowsEditor
        label={`${label} ports`}
        ports={rule.ports}
        onChange={(ports) => onChange({ ...rule, ports })}
      />
      <div className="button-group small">
        <button type="button" onClick={onRemove}>
          Remove {label.toLowerCase()}
        </button>
      </div>
    </fieldset>
  );
}
