// `wsgen serve` / `npm start`: the reference server with the reference agents,
// a dev token, printed URLs, and graceful shutdown on SIGINT/SIGTERM.
import { PILLAR_TYPE_VALUES } from '../../generated/ts/index.js';
import { SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX } from './auth.js';
import { GUIDE_PATH, LIAISON_PREFIX } from './chat/endpoints.js';
import { referenceAgents } from './chat/reference.js';
import { chatSessionValidator, createChatServer, type ChatServer } from './chat/server.js';
import { jsonLogger } from './logger.js';
import { closeOnSignals } from './signals.js';

export { ListenError } from './errors.js';

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Interface to bind (the CLI passes 127.0.0.1). */
  host: string;
  /** Port (0 picks a free one). */
  port: number;
  /** Where the banner goes (default stdout). */
  print?: (line: string) => void;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
}

/**
 * Starts the reference server, prints its URLs and a dev token, and shuts
 * down gracefully on SIGINT/SIGTERM. Resolves once listening.
 * @throws {ListenError} (code WSGEN_LISTEN) when host:port cannot be bound.
 */
export async function serve(opts: ServeOptions): Promise<{ server: ChatServer; token: string }> {
  const print = opts.print ?? ((l: string) => void process.stdout.write(l + '\n'));
  const validator = chatSessionValidator();
  const { token, session } = validator.issue({ userId: 'dev-user', tenant: 'dev-tenant' });
  const server = await createChatServer({
    validator,
    host: opts.host,
    port: opts.port,
    agents: referenceAgents(),
    logger: jsonLogger({ level: 'info' }),
    validateOutbound: true, // the reference server never sends a frame that breaks the schema, whatever NODE_ENV says
  });
  const http = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${server.address().port}`;
  if (opts.handleSignals !== false) closeOnSignals(server, print);
  print(`wsgen reference server listening (realm ${session.realm}, session ${session.sessionId})`);
  print(`  guide:    ${server.url(GUIDE_PATH)}`);
  for (const p of PILLAR_TYPE_VALUES) print(`  liaison:  ${server.url(LIAISON_PREFIX + p)}`);
  print(`  metrics:  ${http}/metrics`);
  print(`  health:   ${http}/healthz`);
  print(`  dev token: ${token}`);
  print(`  connect with subprotocols ["${SUBPROTOCOL}", "${TOKEN_PROTOCOL_PREFIX}<token>"], or ?session_token=<token> (older clients)`);
  print(`  try: npx wscat -c '${server.url(GUIDE_PATH)}?session_token=${token}'  then send {"type":"user_message","timestamp":"${new Date().toISOString()}","message":"hello"}`);
  return { server, token };
}
