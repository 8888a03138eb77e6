import { useRef, useState } from 'react';
import { downloadFile } from '../ui/index.ts';
import { svgToPng } from './png.ts';
import { type ImageScope, useGraphSvg } from './useGraphImage.ts';

/** Saves the graph as SVG or PNG, the current view or all of it. */
export function ImageExportMenu() {
  const build = useGraphSvg();
  const menu = useRef<HTMLDetailsElement>(null);
  const [error, setError] = useState<string>();
  const save = async (format: 'svg' | 'png', scope: ImageScope) => {
    setError(undefined);
    if (menu.current) menu.current.open = false;
    const image = build(scope);
    if (!image) {
      setError('The graph is not laid out yet.');
      return;
    }
    const name = `netpol-graph${scope === 'view' ? '-view' : ''}`;
    if (format === 'svg') {
      downloadFile(`${name}.svg`, image.svg, 'image/svg+xml');
      return;
    }
    try {
      const png = await svgToPng(image.svg, image.width, image.height);
      downloadFile(`${name}.png`, png, 'image/png');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const items: { format: 'svg' | 'png'; scope: ImageScope; label: string }[] = [
    { format: 'svg', scope: 'view', label: 'Current view as SVG' },
    { format: 'png', scope: 'view', label: 'Current view as PNG' },
    { format: 'svg', scope: 'whole', label: 'Whole graph as SVG' },
    { format: 'png', scope: 'whole', label: 'Whole graph as PNG' },
  ];
  return (
    <div className="image-export">
      <details className="menu" ref={menu}>
        <summary>Export image</summary>
        <div className="menu-items">
          {items.map((item) => (
            <button key={item.label} type="button" onClick={() => void save(item.format, item.scope)}>
              {item.label}
            </button>
          ))}
        </div>
      </details>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
