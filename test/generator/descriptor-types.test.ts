import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

// Type-level test of the descriptor: a runtime typed only by `protocol` infers
// each message type from it. tsc must accept the good calls and report an error
// on every line marked @ts-expect-error (an unused @ts-expect-error is itself an
// error), so a passing tsc proves that a misspelt type, a type of the other
// direction, a missing, mistyped or unknown field are compile errors.

/** The typing a generic runtime derives from a descriptor, as runtime/client will. */
const RUNTIME_TYPES = `
import { protocol } from './gen/ts/protocol.js';

type AnyProtocol = { readonly tag: string; readonly messages: { readonly [tag: string]: { readonly direction: 'client' | 'server' | 'both'; readonly is: (x: unknown) => boolean } } };
type Guarded<G> = G extends (x: unknown) => x is infer T ? T : never;
type MessageOf<P extends AnyProtocol, K extends keyof P['messages']> = Guarded<P['messages'][K]['is']>;
type ClientType<P extends AnyProtocol> = { [K in keyof P['messages']]: P['messages'][K]['direction'] extends 'server' ? never : K }[keyof P['messages']];
type Body<P extends AnyProtocol, K extends keyof P['messages']> = Omit<MessageOf<P, K>, P['tag'] | 'timestamp'>;
declare function send<P extends AnyProtocol, K extends ClientType<P>>(protocol: P, type: K, body: Body<P, K>): void;
`;

const BUNDLED = `
send(protocol, 'user_message', { message: 'hello' });
send(protocol, 'session_resume', { session_id: 's', last_seq: 0, epoch: 'e' });
send(protocol, 'ping', {});
// @ts-expect-error a misspelt message type
send(protocol, 'user_mesage', { message: 'hello' });
// @ts-expect-error a type only the server sends
send(protocol, 'agent_message', { message: 'hello', agent: 'guide_agent' });
// @ts-expect-error a required field missing
send(protocol, 'user_message', {});
// @ts-expect-error a field of the wrong type
send(protocol, 'user_message', { message: 42 });
// @ts-expect-error a field the type does not have
send(protocol, 'user_message', { message: 'hello', bogus: true });
export const tag: 'type' = protocol.tag;
export const seqField: 'seq' = protocol.fields.sequence;
export const low: 'low' = protocol.messages.progress_update.priority;
export const pongType: 'pong' = protocol.roles.pong;
// @ts-expect-error a role the protocol does not have
export const lost = protocol.roles['session-lost'];
`;

const WHITEBOARD = `
send(protocol, 'shape_add', { shape: { id: 's1', kind: 'rect', x: 0, y: 0 } });
send(protocol, 'export_board', { ref: 'r1', format: 'svg' });
// @ts-expect-error a misspelt message type
send(protocol, 'shape_ad', { shape: { id: 's1', kind: 'rect', x: 0, y: 0 } });
// @ts-expect-error a type only the server sends
send(protocol, 'shape_added', { by: 'u', shape: { id: 's1', kind: 'rect', x: 0, y: 0 } });
// @ts-expect-error an enum value the schema does not list
send(protocol, 'shape_add', { shape: { id: 's1', kind: 'star', x: 0, y: 0 } });
// @ts-expect-error export_board requires its correlation id
send(protocol, 'export_board', { format: 'svg' });
export const tag: 'op' = protocol.tag;
export const ref: 'ref' = protocol.fields['correlation-id'];
// @ts-expect-error the whiteboard's tag is op
export const wrong: 'type' = protocol.tag;
`;

async function typecheck(fixture: string, body: string): Promise<void> {
  const dir = tempDir();
  const { files } = await generate({ schema: join(ROOT, fixture), out: join(dir, 'gen'), targets: ['ts'] });
  writeOutput(join(dir, 'gen'), files);
  writeFileSync(join(dir, 'use.ts'), RUNTIME_TYPES + body);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: [] }, files: ['use.ts'] }),
  );
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'pipe' });
}

describe('a runtime typed by the descriptor checks send() at compile time', () => {
  it('for the bundled protocol', () => typecheck('schema', BUNDLED), 60_000);
  it('for the whiteboard (tag "op")', () => typecheck('test/fixtures/whiteboard', WHITEBOARD), 60_000);
});
