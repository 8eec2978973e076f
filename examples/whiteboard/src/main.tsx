import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WebSocketService } from '../../../runtime/client/index.js';
import { WebSocketProvider } from '../../../runtime/react/index.js';
import { protocol } from '../generated/ts/protocol.js';
import { App } from './App.js';

// ?ws=ws://127.0.0.1:8790 points the page at a whiteboard server (default: the page's host).
const ws = new URLSearchParams(location.search).get('ws') ?? undefined;
const service = new WebSocketService(protocol, { ...(ws ? { baseUrl: ws } : {}), defaults: { heartbeat: { intervalMs: 3000 } } });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <WebSocketProvider service={service}>
      <App />
    </WebSocketProvider>
  </StrictMode>,
);
