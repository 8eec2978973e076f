// Prints, per JSON frame on stdin (one per line), the value the TS client hands out (parseMessage of the bundled
// protocol, from dist/) as JSON, or {"refused": [keywords]}: test_client_parity.py compares the Python client's value.
import { createInterface } from 'node:readline';
import { parseMessage } from '../../dist/generated/ts/index.js';

const out = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (line === '') continue;
  const r = parseMessage(line);
  out.push(r.ok ? r.value : { refused: r.errors.map((e) => e.keyword) });
}
process.stdout.write(JSON.stringify(out));
