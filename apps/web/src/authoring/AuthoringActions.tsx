import { type NodeId, namespaceOfNode, type PresetKind, type PresetTargetRef } from '../model/index.ts';
import { openDialogAction, useStore } from '../store/index.ts';
import { PRESETS } from './PresetDialog.tsx';

const KINDS: PresetKind[] = ['deny-ingress', 'deny-egress-keep-dns', 'allow-within-namespace'];

/** For a selected workload or namespace: draw a connection from or to it, or apply a preset. */
export function AuthoringActions({ endpoint, target }: { endpoint: NodeId; target: PresetTargetRef }) {
  const openDialog = useStore(openDialogAction);
  const namespace = target.kind === 'namespace' ? target.name : (namespaceOfNode(target.id) ?? '');
  return (
    <section aria-label="Change its policies" className="authoring-actions">
      <h4>Change its policies</h4>
      <div className="button-group wrap">
        <button type="button" onClick={() => openDialog({ kind: 'connect', src: endpoint, dst: undefined })}>
          Allow a connection from here…
        </button>
        <button type="button" onClick={() => openDialog({ kind: 'connect', src: undefined, dst: endpoint })}>
          Allow a connection to here…
        </button>
      </div>
      <div className="button-group wrap">
        {KINDS.map((preset) => (
          <button
            key={preset}
            type="button"
            onClick={() =>
              openDialog({
                kind: 'preset',
                preset,
                target: preset === 'allow-within-namespace' ? { kind: 'namespace', name: namespace } : target,
              })
            }
          >
            {PRESETS[preset].title}
            {preset === 'allow-within-namespace' && target.kind === 'workload' ? ` (${namespace})` : ''}…
          </button>
        ))}
        <button type="button" onClick={() => openDialog({ kind: 'tighten', target })}>
          Tighten to observed…
        </button>
      </div>
    </section>
  );
}
