// Typed path parameters: an endpoint `{param}` ranges over an enum of the
// schema; a request outside it is a 404, and a handler sees the parameter
// typed by the enum (narrowed by the endpoint's name). Run on the bundled
// protocol (`/api/ws/liaison/{pillar}`, PillarType) and on the whiteboard
// (`/boards/{format}`, ExportFormat). The compile-time half is checked by
// `tsc -p tsconfig.json` (each @ts-expect-error must be an error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocol as board, type Protocol as Board } from '../../../examples/whiteboard/generated/ts/index.js';
import { protocol as bundled, type PillarType, type Protocol } from '../../../generated/ts/index.js';
import { InMemorySessionValidator, tokenProtocols } from '../../../runtime/server/auth.js';
import type { EndpointOf } from '../../../runtime/server/endpoints.js';
import type { MessageHandlers } from '../../../runtime/server/options.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { upgradeStatus } from '../helpers.js';
import { connectTo, type SuiteClient } from './client.js';

const chatEndpoints = {
  guide: { path: '/guide' },
  liaison: { path: '/liaison/{pillar}', params: { pillar: 'PillarType' } },
} as const;

const boardEndpoints = {
  board: { path: '/boards/{format}', params: { format: 'ExportFormat' } },
  room: { path: '/rooms/{room}/{format}', params: { room: ['north', 'south'], format: 'ExportFormat' } },
} as const;

describe('path parameters are typed by their enum (compile time)', () => {
  it('narrows params by the endpoint name; a value outside the enum, an undeclared parameter or a misspelt enum does not compile', () => {
    const handlers: MessageHandlers<Protocol, typeof chatEndpoints> = {
      user_message: (_m, c) => {
        if (c.endpoint.name === 'liaison') {
          const pillar: PillarType = c.endpoint.params.pillar;
          // @ts-expect-error 'astrology' is not a PillarType value
          void (c.endpoint.params.pillar === 'astrology');
          // @ts-expect-error the liaison path has no {agent}
          void c.endpoint.params.agent;
          void pillar;
        } else {
          const none: undefined = c.endpoint.params['pillar'];
          void none;
        }
      },
    };
    type BoardEndpoint = EndpointOf<Board, typeof boardEndpoints>;
    const room = (e: BoardEndpoint): 'north' | 'south' | undefined => (e.name === 'room' ? e.params.room : undefined);
    const format = (e: BoardEndpoint): 'svg' | 'png' => e.params.format;
    // @ts-expect-error 'gif' is not an ExportFormat value
    const gif = (e: BoardEndpoint): boolean => e.params.format === 'gif';
    const validator = new InMemorySessionValidator();
    // @ts-expect-error PilarType is not an enum of the bundled protocol
    const misspelt = () => createServer({ protocol: bundled, validator, endpoints: { l: { path: '/l/{p}', params: { p: 'PilarType' } } } });
    expect([handlers, room, format, gif, misspelt].every((x) => x !== undefined)).toBe(true);
  });
});

describe('path parameters at run time', () => {
  const validator = new InMemorySessionValidator({ defaultRealm: 'experience' });
  let chat: WsgenServer<Protocol>;
  let boards: WsgenServer<Board>;
  const clients: SuiteClient[] = [];
  beforeAll(async () => {
    chat = await createServer({
      protocol: bundled,
      validator,
      heartbeatIntervalMs: 0,
      validateOutbound: true,
      endpoints: chatEndpoints,
      decorate: (m, scope) => {
        m['timestamp'] = new Date().toISOString();
        if (m['type'] === 'session_created' && scope !== undefined) Object.assign(m, { realm: scope.session.realm, agent: 'guide_agent' });
      },
      handlers: {
        user_message: (m, c) => {
          const where = c.endpoint.name === 'liaison' ? `pillar ${c.endpoint.params.pillar}` : 'guide';
          c.reply({ type: 'system_message', timestamp: new Date().toISOString(), message_id: m.message_id, message: where });
        },
      },
    });
    boards = await createServer({
      protocol: board,
      validator,
      heartbeatIntervalMs: 0,
      validateOutbound: true,
      endpoints: boardEndpoints,
      handlers: {
        chat_send: (m, c) => {
          const where = c.endpoint.name === 'room' ? `${c.endpoint.params.room}/${c.endpoint.params.format}` : c.endpoint.params.format;
          c.reply({ op: 'chat', ref: m.ref, user: c.session.userId, text: where });
        },
      },
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([chat.close(), boards.close()]);
  });

  it.each(['content', 'insights', 'operations', 'business_outcomes'])('bundled: /liaison/%s reaches the handler with params.pillar bound', async (pillar) => {
    const c = await connectTo(chat.url(`/liaison/${pillar}`), validator.issue().token, bundled);
    clients.push(c);
    c.send({ type: 'user_message', timestamp: new Date().toISOString(), message_id: `m-${pillar}`, message: 'where am I?' });
    expect((await c.nextOfType('system_message'))['message']).toBe(`pillar ${pillar}`);
  });

  it.each([
    ['/boards/svg', 'svg'],
    ['/boards/png', 'png'],
    ['/rooms/north/png', 'north/png'],
    ['/rooms/south/svg', 'south/svg'],
  ])('whiteboard: %s reaches the handler with its parameters bound', async (path, expected) => {
    const c = await connectTo(boards.url(path), validator.issue().token, board);
    clients.push(c);
    c.send({ op: 'chat_send', ref: 'r1', text: 'where am I?' });
    expect((await c.nextOfType('chat'))['text']).toBe(expected);
  });

  it.each([
    ['bundled', '/liaison/astrology', () => chat],
    ['bundled', '/liaison/Content', () => chat],
    ['bundled', '/liaison/', () => chat],
    ['whiteboard', '/boards/gif', () => boards],
    ['whiteboard', '/rooms/east/svg', () => boards],
    ['whiteboard', '/rooms/north/gif', () => boards],
  ])('%s: a value outside the enum (%s) is refused with 404 before the upgrade', async (_n, path, server) => {
    expect(await upgradeStatus(server().url(path), tokenProtocols(validator.issue().token))).toBe(404);
  });
});
