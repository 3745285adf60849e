// The global sheets first, so a component's CSS module (imported by App) wins over them at equal specificity.
import './tokens.css';
import './base.css';
import './primitives.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptReadKeyFromLocation } from './api/session.ts';
import { App } from './app/App.tsx';
import { applyTheme, storedTheme } from './model/theme.ts';

// Before the first render, so a dark choice never flashes light (the CSP forbids an inline script in index.html).
applyTheme(storedTheme());
adoptReadKeyFromLocation();
if (window.location.pathname === '/') window.history.replaceState(null, '', `/tools${window.location.search}`);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
