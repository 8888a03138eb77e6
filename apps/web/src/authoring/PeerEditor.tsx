import type { PeerDescription, PeerForm } from '@netpol-atlas/authoring';
import { useId } from 'react';
import { ParsedInput } from './ParsedInput.tsx';
import { emptySelector, splitList } from './policyFormModel.ts';
import { SelectorEditor } from './SelectorEditor.tsx';

/**
 * One `from`/`to` entry. A pods peer with both selectors is ONE peer: both must match, shown as
 * "AND" between them, the opposite of two separate peers.
 */
export function PeerEditor({
  label,
  peer,
  description,
  onChange,
  onRemove,
}: {
  label: string;
  peer: PeerForm;
  description: PeerDescription | undefined;
  onChange: (peer: PeerForm) => void;
  onRemove: () => void;
}) {
  const exceptId = useId();
  return (
    <fieldset className="peer-editor">
      <legend className="peer-head">
        <strong>{label}</strong>
        {description && <span className="muted">{description.text}</span>}
        <button type="button" className="icon-button" aria-label={`Remove ${label}`} onClick={onRemove}>
          ×
        </button>
      </legend>
      {peer.kind === 'ipBlock' ? (
        <div className="row">
          <label className="stacked">
            <span>CIDR</span>
            <input
              value={peer.cidr}
              onChange={(e) => onChange({ ...peer, cidr: e.target.value })}
              spellCheck={false}
            />
          </label>
          <div className="stacked">
            <label htmlFor={exceptId}>Except (comma-separated)</label>
            <ParsedInput
              id={exceptId}
              value={peer.except}
              format={(list) => list.join(', ')}
              parse={splitList}
              onValue={(except) => onChange({ ...peer, except })}
              spellCheck={false}
            />
          </div>
        </div>
      ) : (
        <>
          <label className="inline">
            <input
              type="checkbox"
              checked={peer.namespaceSelector !== undefined}
              onChange={(e) =>
                onChange({ ...peer, namespaceSelector: e.target.checked ? emptySelector() : undefined })
              }
            />
            Namespace selector
          </label>
          {peer.namespaceSelector && (
            <SelectorEditor
              legend={`${label} namespaces`}
              value={peer.namespaceSelector}
              onChange={(namespaceSelector) => onChange({ ...peer, namespaceSelector })}
              emptyMeaning="Empty: every namespace."
            />
          )}
          {peer.namespaceSelector && peer.podSelector && (
            <div
              className="combinator and"
              data-testid="form.and"
              title="Both selectors must match: one peer"
            >
              AND
            </div>
          )}
          <label className="inline">
            <input
              type="checkbox"
              checked={peer.podSelector !== undefined}
              onChange={(e) =>
                onChange({ ...peer, podSelector: e.target.checked ? emptySelector() : undefined })
              }
            />
            Pod selector
          </label>
          {peer.podSelector && (
            <SelectorEditor
              legend={`${label} pods`}
              value={peer.podSelector}
              onChange={(podSelector) => onChange({ ...peer, podSelector })}
              emptyMeaning="Empty: every pod."
            />
          )}
        </>
      )}
    </fieldset>
  );
}
