import { selectDialog, useStore } from '../store/index.ts';
import { ResetDialog, ShareDialog } from '../workspace/index.ts';
import { AddRangeDialog } from './AddRangeDialog.tsx';
import { ChangesDialog } from './ChangesDialog.tsx';
import { ConnectDialog } from './ConnectDialog.tsx';
import { ExportDialog } from './ExportDialog.tsx';
import { PolicyFormDialog } from './PolicyFormDialog.tsx';
import { PresetDialog } from './PresetDialog.tsx';
import { RemoveDialog } from './RemoveDialog.tsx';
import { TightenDialog } from './TightenDialog.tsx';

/** The open authoring dialog, if any (the store holds which, so anything can open one). */
export function AuthoringDialogs() {
  const dialog = useStore(selectDialog);
  switch (dialog?.kind) {
    case undefined:
      return null;
    case 'connect':
      return <ConnectDialog src={dialog.src} dst={dialog.dst} />;
    case 'remove':
      return <RemoveDialog src={dialog.src} dst={dialog.dst} mode="namespace" />;
    case 'cluster-deny':
      return <RemoveDialog src={dialog.src} dst={dialog.dst} mode="cluster" />;
    case 'preset':
      return <PresetDialog preset={dialog.preset} target={dialog.target} />;
    case 'tighten':
      return <TightenDialog target={dialog.target} />;
    case 'policy':
      return <PolicyFormDialog id={dialog.id} />;
    case 'range':
      return <AddRangeDialog />;
    case 'export':
      return <ExportDialog />;
    case 'share':
      return <ShareDialog />;
    case 'changes':
      return <ChangesDialog />;
    case 'reset':
      return <ResetDialog />;
  }
}
