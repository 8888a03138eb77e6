import type { PortIntent } from '@netpol-atlas/authoring';
import { type ReactNode, useId, useState } from 'react';
import { parsePortList } from './portSpec.ts';

/** The traffic a removal or a deny is about: every port, or the ports typed. */
type PortScope = { ports: readonly PortIntent[] | 'all' } | { error: string };

/**
 * "Which traffic": every port, or only some (typed as `TCP 8080, UDP 53`). Returns the choice
 * and the fieldset that edits it, so the removal and the cluster-wide deny ask the same way.
 */
export function usePortScope(): { scope: PortScope; fieldset: ReactNode } {
  const [every, setEvery] = useState(true);
  const [portText, setPortText] = useState('');
  const name = useId();
  let scope: PortScope = every ? { ports: 'all' } : parsePortList(portText);
  if (!('error' in scope) && scope.ports !== 'all' && scope.ports.length === 0) {
    scope = { error: 'Type the ports to stop.' };
  }
  const fieldset = (
    <fieldset>
      <legend>Which traffic</legend>
      <label className="inline">
        <input type="radio" name={name} checked={every} onChange={() => setEvery(true)} />
        Every port (the whole connection)
      </label>
      <label className="inline">
        <input type="radio" name={name} checked={!every} onChange={() => setEvery(false)} />
        Only some ports
      </label>
      {!every && (
        <label className="stacked indented">
          <span>Ports to stop (e.g. TCP 8080, UDP 53)</span>
          <input value={portText} onChange={(e) => setPortText(e.target.value)} spellCheck={false} />
        </label>
      )}
    </fieldset>
  );
  return { scope, fieldset };
}
