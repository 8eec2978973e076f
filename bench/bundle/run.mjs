// Bundle sizes of the generated protocol code and the client runtime, each
// measured by a real Vite production build (see vite-size.mjs), side by side in
// one run with the goals of issue 10. "Client runtime alone" is the minimal
// client of a protocol: a WebSocketClient without capability plugins (typed,
// validated send and receive, request/reply, reconnect with backoff, a bounded
// queue); the WebSocketService row is the client with every plugin (heartbeat,
// resume, streams).
// Usage: node bench/bundle/run.mjs
import { viteBundle } from './vite-size.mjs';

const KB = 1024;
const rows = [
  ['bundled protocol: validators + parseMessage', 'generated/ts/parse.js', ['parseMessage'], 60 * KB],
  ['one type\'s guard alone (isPing)', 'generated/ts/guards.ts', ['isPing'], 8 * KB],
  ['client runtime alone, minimal (WebSocketClient)', 'runtime/client/index.ts', ['WebSocketClient'], 25 * KB],
  ['client runtime, every capability (WebSocketService)', 'runtime/client/index.ts', ['WebSocketService'], Infinity],
];

console.log('measure | minified | gzip | goal');
for (const [name, module, names, goal] of rows) {
  const { bytes, gzip } = await viteBundle(module, names);
  const target = goal === Infinity ? '(no goal)' : `<= ${goal / KB} KB${bytes > goal ? ' (missed)' : ''}`;
  console.log(`${name} | ${(bytes / KB).toFixed(1)} KB | ${(gzip / KB).toFixed(1)} KB | ${target}`);
}

