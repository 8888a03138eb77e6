import { useEffect, useState } from 'react';
import { useStore } from '../store/index.ts';
import { readDataTransfer } from './importFiles.ts';

/** Accepts files and folders dropped anywhere on the window. */
export function DropZone() {
  const loadFiles = useStore((s) => s.loadFiles);
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
      void readDataTransfer(e.dataTransfer).then(({ files }) => {
        if (files.length > 0) loadFiles(files, { replace: true });
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
  }, [loadFiles]);
  if (!active) return null;
  return (
    <div className="drop-overlay" role="status">
      Drop manifests or folders to open them
    </div>
  );
}
