// The public face of live/: other folders import from here, never from its files.
export { LivePanel } from './LivePanel.tsx';
export { createLiveClient, LiveClientProvider } from './useLive.ts';
