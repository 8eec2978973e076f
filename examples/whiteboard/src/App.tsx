/** The whiteboard page: the generic hooks over the whiteboard protocol (tag `op`). */
import { useState, type ReactNode } from 'react';
import type { WebSocketService } from '../../../runtime/client/index.js';
import { useConnection, useMessages, useStream, useWebSocketService } from '../../../runtime/react/index.js';
import type { Protocol } from '../generated/ts/protocol.js';

type Board = WebSocketService<Protocol>;

/** Shapes added by anyone, an "add" button, and an export streamed back in parts. */
export function App(): ReactNode {
  const service = useWebSocketService<Board>();
  const { status, health } = useConnection('board', (s) => s.url('/'));
  const added = useMessages<Protocol, 'shape_added'>('board', 'shape_added');
  const [exportRef, setExportRef] = useState<string | undefined>(undefined);
  const stream = useStream('board', exportRef);
  const [n, setN] = useState(0);

  const add = (): void => {
    service.send('board', 'shape_add', { shape: { id: `s${n}`, kind: 'rect', x: 10 * n, y: 10 * n, w: 40, h: 30 } });
    setN(n + 1);
  };
  const exportSvg = (): void => setExportRef(service.send('board', 'export_board', { format: 'svg' }).messageId);

  return (
    <main>
      <h1>wsgen whiteboard</h1>
      <p>
        status <b data-testid="status">{status}</b> · rtt <span data-testid="rtt">{health?.rttMs == null ? '–' : `${Math.round(health.rttMs)} ms`}</span>
      </p>
      <button data-testid="add" onClick={add} disabled={status !== 'open'}>
        add a rectangle
      </button>
      <button data-testid="export" onClick={exportSvg} disabled={status !== 'open'}>
        export as SVG
      </button>
      <ul data-testid="shapes">
        {added.map((m) => (
          <li key={`${m.shape.id}-${m.seq ?? ''}`}>
            {m.shape.kind} {m.shape.id} at ({m.shape.x}, {m.shape.y}) by {m.by}
          </li>
        ))}
      </ul>
      <pre data-testid="export-text" data-complete={stream?.complete ? 'yes' : 'no'}>
        {stream?.text ?? ''}
      </pre>
    </main>
  );
}
