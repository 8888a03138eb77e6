// The public face of connections/: other folders import from here, never from its files.
export { ConnectionsTable } from './ConnectionsTable.tsx';
