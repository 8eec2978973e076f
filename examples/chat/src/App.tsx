import { useState, type FormEvent, type ReactNode } from 'react';
import { PILLAR_TYPE_VALUES, type PillarType } from '../../../generated/ts/index.js';
import type { ConnectionHealth, TokenSource } from '../../../runtime/client/index.js';
import { useConnectionsHealth } from '../../../runtime/react/index.js';
import { useGuideChat, useLiaisonChat, type ChatState } from '../../../runtime/chat/react.js';

export function App({ token, hasToken }: { token: TokenSource; hasToken: boolean }) {
  const [pillar, setPillar] = useState<PillarType>('content');
  const guide = useGuideChat(token);
  const liaison = useLiaisonChat(pillar, token);
  return (
    <main>
      <h1>wsgen chat</h1>
      {hasToken ? null : <p className="warn">No token: open this page with ?token=… (the reference server prints a dev token) or ?tokenUrl=….</p>}
      <div className="chats">
        <ChatPanel title="Guide" testId="guide" chat={guide} />
        <ChatPanel
          title="Liaison"
          testId="liaison"
          chat={liaison}
          extra={
            <label>
              pillar{' '}
              <select data-testid="pillar" value={pillar} onChange={(e) => setPillar(e.target.value as PillarType)}>
                {PILLAR_TYPE_VALUES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
          }
        />
      </div>
      <HealthPanel />
    </main>
  );
}

function ChatPanel({ title, testId, chat, extra }: { title: string; testId: string; chat: ChatState; extra?: ReactNode }) {
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    if (chat.sendMessage(text)) setText('');
  };
  return (
    <section className="chat" data-testid={`${testId}-chat`}>
      <header>
        <h2>{title}</h2>
        {extra}
        <span className={`status status-${chat.status}`} data-testid={`${testId}-status`}>
          {chat.status}
        </span>
      </header>
      <ol className="messages" data-testid={`${testId}-messages`}>
        {chat.messages.map((m) => (
          <li key={m.key} className={`msg ${m.role}`} data-role={m.role}>
            <b>{m.role}</b> {m.text}
            {m.delivery && m.delivery !== 'sent' ? <em className="delivery"> ({m.delivery})</em> : null}
          </li>
        ))}
        {chat.streamingText ? (
          <li className="msg agent streaming" data-testid={`${testId}-streaming`}>
            <b>agent</b> {chat.streamingText}…
          </li>
        ) : null}
      </ol>
      {chat.error ? (
        <p className="error" data-testid={`${testId}-error`}>
          {chat.error.code}: {chat.error.message} <button onClick={chat.clearError}>×</button>
        </p>
      ) : null}
      <form onSubmit={submit}>
        <input data-testid={`${testId}-input`} value={text} onChange={(e) => setText(e.target.value)} placeholder={`Message the ${title.toLowerCase()}…`} />
        <button data-testid={`${testId}-send`} type="submit">
          Send
        </button>
      </form>
    </section>
  );
}

const fmtBytes = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);
const ago = (t: number | null) => (t === null ? '–' : `${Math.max(0, Math.round((Date.now() - t) / 1000))} s ago`);

function HealthPanel() {
  const list = useConnectionsHealth(1000);
  return (
    <section className="health" data-testid="health">
      <h2>Connection health</h2>
      <table>
        <thead>
          <tr>
            <th>connection</th>
            <th>status</th>
            <th>RTT</th>
            <th>reconnects</th>
            <th>queued</th>
            <th>in / out</th>
            <th>last message</th>
            <th>resume</th>
            <th>seq</th>
          </tr>
        </thead>
        <tbody>
          {list.map((h: ConnectionHealth) => (
            <tr key={h.id} data-testid={`health-${h.id}`}>
              <td>{h.id}</td>
              <td className={`status-${h.status}`}>{h.status}</td>
              <td data-testid={`rtt-${h.id}`}>{h.rttMs === null ? '–' : `${h.rttMs} ms`}</td>
              <td data-testid={`reconnects-${h.id}`}>{h.reconnectCount}</td>
              <td>{h.queued}</td>
              <td>
                {fmtBytes(h.bytesIn)} / {fmtBytes(h.bytesOut)}
              </td>
              <td>{ago(h.lastMessageAt)}</td>
              <td>{h.resume}</td>
              <td>{h.lastSeq ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
