import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { HostProvider } from './api/context';
import { createIpcClient } from './api/ipc-client';
import { createWsClient, takeWebToken } from './api/ws-client';
import type { HostClient } from './api/host-client';
import { installNavigationGuards } from './features/settings/navigation-guard';
import './styles/app.css';

function connect(): HostClient | string {
  if (window.workbench) return createIpcClient(window.workbench);
  const token = takeWebToken(window.location, window.history, window.sessionStorage);
  if (!token) return 'This page needs the address the workbench printed when it started (it carries an access token). Open that address again.';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return createWsClient(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
}

// Before anything renders: the window never navigates away from the app nor opens outside pages.
installNavigationGuards(window);

const root = createRoot(document.getElementById('root')!);
const host = connect();
if (typeof host === 'string') {
  root.render(
    <div className="error-panel" role="alert">
      <h1>Memristor Workbench</h1>
      <p>{host}</p>
    </div>,
  );
} else {
  root.render(
    <StrictMode>
      <HostProvider value={host}>
        <App />
      </HostProvider>
    </StrictMode>,
  );
}
