// The public face of exportImage/: other folders import from here, never from its files.
export { withGraphFigure } from './graphSvg.ts';
export { ImageExportMenu } from './ImageExportMenu.tsx';
export { useGraphSvg } from './useGraphImage.ts';
