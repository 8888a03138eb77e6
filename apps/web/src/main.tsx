import '@xyflow/react/dist/style.css';
import './app/styles.css';
import './app/theme.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createServices } from './app/index.ts';

// Made once for the page, before the first render (StrictMode renders twice; the services must not).
const services = createServices();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
);
