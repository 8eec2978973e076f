// Type-level test (compiled by test/client/types.test.ts with tsc): a service typed
// by a descriptor checks send(), sendMessage() and subscribe() at compile time.
// Every @ts-expect-error line must be an error (an unused one fails tsc).
import { protocol as bundled } from '../../../generated/ts/index.js';
import { protocol as whiteboard } from '../../../examples/whiteboard/generated/ts/index.js';
import { heartbeat, WebSocketClient, WebSocketService } from '../../../runtime/client/index.js';

const chat = new WebSocketService(bundled, { fill: { timestamp: () => new Date().toISOString() } });
chat.send('guide', 'user_message', { message: 'hello' });
chat.sendMessage('guide', { type: 'user_message', message: 'hello' });
chat.subscribe('guide', 'agent_message', (m) => m.agent.toUpperCase());
// @ts-expect-error a misspelt message type
chat.send('guide', 'user_mesage', { message: 'hello' });
// @ts-expect-error a type only the server sends
chat.send('guide', 'agent_message', { message: 'hello', agent: 'guide_agent' });
// @ts-expect-error a required field missing
chat.send('guide', 'user_message', {});
// @ts-expect-error a field of the wrong type
chat.send('guide', 'user_message', { message: 42 });
// @ts-expect-error a field the type does not have
chat.send('guide', 'user_message', { message: 'hello', bogus: true });
// @ts-expect-error subscribing to a type the server never sends
chat.subscribe('guide', 'user_message', () => {});

const noFill = new WebSocketService(bundled);
// @ts-expect-error without the fill option, the bundled timestamp is required
noFill.send('guide', 'user_message', { message: 'hello' });

// A WebSocketClient (only the plugins it is given) is typed the same way.
const lean = new WebSocketClient(bundled, { capabilities: [heartbeat()], fill: { timestamp: () => new Date().toISOString() } });
lean.send('guide', 'user_message', { message: 'hello' });
lean.subscribe('guide', 'agent_message', (m) => m.agent.toUpperCase());
// @ts-expect-error a misspelt message type
lean.send('guide', 'user_mesage', { message: 'hello' });
// @ts-expect-error a capability is a plugin object, not a name
void new WebSocketClient(bundled, { capabilities: ['heartbeat'] });

const board = new WebSocketService(whiteboard);
board.send('b', 'shape_add', { shape: { id: 's1', kind: 'rect', x: 0, y: 0 } });
board.send('b', 'export_board', { format: 'svg' });
board.subscribe('b', 'shape_added', (m) => m.shape.kind);
// @ts-expect-error a misspelt message type
board.send('b', 'shape_ad', { shape: { id: 's1', kind: 'rect', x: 0, y: 0 } });
// @ts-expect-error an enum value the schema does not list
board.send('b', 'shape_add', { shape: { id: 's1', kind: 'star', x: 0, y: 0 } });
// @ts-expect-error the whiteboard's tag is op, not type
board.sendMessage('b', { type: 'shape_add', shape: { id: 's1', kind: 'rect', x: 0, y: 0 } });
