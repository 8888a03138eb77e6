// The public face of search/: other folders import from here, never from its files.
export { PeerCombobox } from './PeerCombobox.tsx';
export type { PeerResolution } from './peerLookup.ts';
export { resolvePeer } from './peerLookup.ts';
export { SearchBox } from './SearchBox.tsx';
