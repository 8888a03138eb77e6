// The public face of matrix/: other folders import from here, never from its files.
export { NamespaceMatrixView } from './NamespaceMatrixView.tsx';
