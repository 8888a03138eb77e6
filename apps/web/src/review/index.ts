// The public face of review/: other folders import from here, never from its files.
export { FindingsPanel } from './FindingsPanel.tsx';
export { ProblemsPanel } from './ProblemsPanel.tsx';
