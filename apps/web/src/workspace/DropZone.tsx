import { useEffect, useState } from 'react';
import { loadFilesAction, useStore } from '../store/index.ts';
import { readDataTransfer } from './importFiles.ts';

/**
 * Accepts files and folders dropped anywhere on the window. A flow file (told by its content) goes
 * to `onFlowFiles`, the observed-traffic import, instead of the documents.
 */
export function DropZone({ onFlowFiles }: { onFlowFiles?: (files: File[]) => void }) {
  const loadFiles = useStore(loadFilesAction);
  const [active, setActive] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth += 1;
      setActive(true);
    };
    const onLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const onOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      if (!e.dataTransfer || !hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setActive(false);
      void readDataTransfer(e.dataTransfer).then(({ files, flowFiles }) => {
        if (files.length > 0) loadFiles(files, { replace: true });
        if (flowFiles.length > 0) onFlowFiles?.(flowFiles);
      });
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [loadFiles, onFlowFiles]);
  if (!active) return null;
  return (
    <div className="drop-overlay" role="status">
      Drop manifests or folders to open them{onFlowFiles ? ', or a flow file to overlay it' : ''}
    </div>
  );
}
