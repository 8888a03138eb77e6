// The public face of details/: other folders import from here, never from its files.
export { DetailsPanel } from './DetailsPanel.tsx';
