import './live.css';
import type { MissingPermission } from '@netpol-atlas/live-protocol';
import { useState } from 'react';
import type { LiveSnapshot, LiveState } from './liveClient.ts';
import { optionalKinds, optionalKindsLines } from './optionalKinds.ts';
import { saveSnapshot } from './saveSnapshot.ts';
import { useLive } from './useLive.ts';

function time(iso: string | null): string {
  return iso ? new Date(iso).toLocaleTimeString() : 'never';
}

/** The one line that says whether the graph is the cluster now, and if not, since when. */
export function statusText(
  live: Pick<LiveSnapshot, 'state' | 'lastSync' | 'error' | 'offline' | 'context'>,
): string {
  const labels: Record<LiveState, string> = {
    disconnected: live.offline ? `Offline on the snapshot of ${time(live.lastSync)}` : 'Not connected',
    connecting: 'Connecting…',
    live: 'Live',
    stale: `Stale: disconnected from the cluster since ${time(live.lastSync)}`,
    error: `Error: ${live.error ?? 'unknown'}`,
  };
  return labels[live.state];
}

function permissionText(p: MissingPermission): string {
  const resource = p.group ? `${p.resource}.${p.group}` : p.resource;
  return `${p.verb} ${resource} ${p.namespace ? `in ${p.namespace}` : '(all namespaces)'}`;
}

/**
 * The live-cluster controls in the toolbar: context picker, connection state, "save snapshot
 * as files" and "work offline on this snapshot". Renders nothing in a static build (no proxy).
 */
export function LivePanel() {
  const live = useLive();
  const [notice, setNotice] = useState('');
  if (!live.available) return null;
  if (!live.hasToken) {
    return (
      <section className="live-panel" aria-label="Live cluster" data-testid="live" data-state="disconnected">
        <span className="live-hint">
          Live cluster: open the URL the proxy printed (it carries the access token).
        </span>
      </section>
    );
  }
  const connected = live.streaming;
  const kindLines = optionalKindsLines(optionalKinds(live.extraKinds, live.notInstalled));
  const usable = live.contexts.filter((c) => c.usable);
  const noKubeconfig = live.kubeconfig !== null && !live.kubeconfig.found;
  const save = async () => {
    try {
      setNotice(
        await saveSnapshot(
          live.files,
          live.context ?? 'cluster',
          live.lastSync ? new Date(live.lastSync) : new Date(),
        ),
      );
    } catch (error) {
      setNotice(`Could not save: ${(error as Error).message}`);
    }
  };
  return (
    <section className="live-panel" aria-label="Live cluster" data-testid="live" data-state={live.state}>
      <span className={`live-dot live-${live.state}`} aria-hidden="true" />
      {noKubeconfig ? (
        <span className="live-hint" title={live.kubeconfig?.error ?? undefined}>
          No kubeconfig: showing the demo
        </span>
      ) : (
        <>
          <label className="field">
            <span>Cluster</span>
            <select
              aria-label="Cluster context"
              value={live.context ?? ''}
              disabled={usable.length === 0}
              onChange={(e) => live.client.select(e.target.value)}
            >
              {live.context === null && <option value="">Pick a context</option>}
              {live.contexts.map((c) => (
                <option key={c.name} value={c.name} disabled={!c.usable} title={c.problem}>
                  {c.name}
                  {c.usable ? '' : ' (unusable)'}
                </option>
              ))}
            </select>
          </label>
          {connected ? (
            <button type="button" onClick={() => live.client.disconnect()}>
              Disconnect
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={live.context === null}
              onClick={() => live.context && live.client.connect(live.context)}
            >
              Connect
            </button>
          )}
        </>
      )}
      <output
        className={`live-status live-${live.state}`}
        data-testid="live.status"
        title={
          live.state === 'stale'
            ? `The graph shows the last snapshot, not the cluster now. ${live.error ?? ''}`
            : live.state === 'live' && kindLines.length > 0
              ? kindLines.join('\n')
              : (live.error ?? undefined)
        }
      >
        {statusText(live)}
        {live.state === 'live' && live.namespaces.length > 0 && ` (${live.namespaces.join(', ')})`}
      </output>
      {live.state === 'live' && kindLines.length > 0 && (
        <details className="live-kinds" data-testid="live.kinds">
          <summary>Policy kinds</summary>
          <ul>
            {kindLines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      )}
      {live.files.length > 0 && (
        <div className="button-group small">
          <button type="button" onClick={() => void save()}>
            Save snapshot as files
          </button>
          {connected && (
            <button
              type="button"
              onClick={() => live.client.workOffline()}
              title="Stop following the cluster and keep these files as an ordinary, editable workspace"
            >
              Work offline on this snapshot
            </button>
          )}
        </div>
      )}
      {live.missingPermissions.length > 0 && (
        <details className="live-permissions" data-testid="live.permissions">
          <summary>Missing permissions ({live.missingPermissions.length})</summary>
          <p>Ask for these (see deploy/netpol-atlas-readonly-clusterrole.yaml):</p>
          <ul>
            {live.missingPermissions.map((p) => (
              <li key={permissionText(p)}>
                <code>{permissionText(p)}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      {notice && (
        <output className="notice" aria-live="polite">
          {notice}
        </output>
      )}
    </section>
  );
}
