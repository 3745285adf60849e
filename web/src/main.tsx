import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { adoptReadKeyFromLocation } from './api/session.ts';
import { App } from './app/App.tsx';
import './styles.css';

adoptReadKeyFromLocation();
if (window.location.pathname === '/') window.history.replaceState(null, '', `/tools${window.location.search}`);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
