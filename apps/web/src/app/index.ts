// The public face of app/: other folders import from here, never from its files.
export { App } from './App.tsx';
export { createServices } from './services.tsx';
