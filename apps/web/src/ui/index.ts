// The public face of ui/: other folders import from here, never from its files.
export { DialogShell } from './DialogShell.tsx';
export { copyText, downloadFile } from './download.ts';
export { SourceLink } from './SourceLink.tsx';
export { usePrefersDark } from './usePrefersDark.ts';
export { OVERFLOW_UNIT, useToolbarOverflow } from './useToolbarOverflow.ts';
export { useVirtualRows } from './useVirtualRows.ts';
export { VirtualList } from './VirtualList.tsx';
