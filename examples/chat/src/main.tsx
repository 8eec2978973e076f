import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { TokenSource } from '../../../runtime/client/index.js';
import { ChatProvider } from '../../../runtime/chat/react.js';
import { App } from './App.js';
import { readConfig } from './config.js';
import './style.css';

const config = readConfig(window.location);

// A token provider is called on every (re)connect, so a refreshed token is used
// (the reference server issues a new dev token each time it starts).
const token: TokenSource = config.tokenUrl
  ? async () => {
      const r = await fetch(config.tokenUrl as string, { cache: 'no-store' });
      if (!r.ok) throw new Error(`token endpoint answered ${r.status}`);
      return (await r.text()).trim();
    }
  : config.token;

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ChatProvider options={{ baseUrl: config.wsBase, defaults: { backoff: { minDelayMs: 250, maxDelayMs: 5000 }, heartbeat: { intervalMs: 3_000, timeoutMs: 5_000 } } }}>
      <App token={token} hasToken={Boolean(config.token || config.tokenUrl)} />
    </ChatProvider>
  </StrictMode>,
);
