// The public face of explain/: other folders import from here, never from its files.
export { ExplainView } from './ExplainView.tsx';
export { QueryPanel } from './QueryPanel.tsx';
