// The public face of deepLink/: other folders import from here, never from its files.
export { useViewLink, viewLinkHash } from './useViewLink.ts';
