/**
 * The bundled chat app's client layer: a {@link WebSocketService} typed by the
 * bundled protocol (agents, pillars, realms), with the guide and liaison
 * endpoints as helpers. The generic runtime (runtime/client) knows none of this.
 */
import { protocol, type PillarType, type Protocol } from '../../generated/ts/index.js';
import { WebSocketService, type ConnectionOptions, type TokenSource, type WebSocketServiceOptions } from '../client/index.js';

/** Options of a {@link ChatService}: the service's, plus the endpoint paths. */
export interface ChatServiceOptions extends Omit<WebSocketServiceOptions<'timestamp'>, 'fill'> {
  /** Path of the guide endpoint [`/api/ws/guide`]. */
  guidePath?: string;
  /** Path of a liaison endpoint [`/api/ws/liaison/{pillar}`]. */
  liaisonPath?: (pillar: PillarType) => string;
}

/** The bundled protocol's messages carry a required ISO 8601 `timestamp`: the chat service fills it in. */
const fillTimestamp = { timestamp: (): string => new Date().toISOString() };

/** A WebSocketService for the bundled chat protocol, with `connectToGuide` and `connectToLiaison`. */
export class ChatService extends WebSocketService<Protocol, 'timestamp'> {
  private readonly paths: Pick<ChatServiceOptions, 'guidePath' | 'liaisonPath'>;

  /** Like `new WebSocketService(protocol, options)`, with timestamps filled in. */
  constructor(options: ChatServiceOptions = {}) {
    const { guidePath, liaisonPath, ...rest } = options;
    super(protocol, { ...rest, fill: fillTimestamp });
    this.paths = { guidePath, liaisonPath };
  }

  /** Connects to the guide agent (id `guide`); reuses the connection if it exists. Resolves with the id once open. */
  connectToGuide(token: TokenSource, options: ConnectionOptions = {}): Promise<string> {
    return this.connect('guide', this.guideUrl(), { ...options, token });
  }

  /** Connects to a pillar's liaison agent (id `liaison:{pillar}`); reuses the connection if it exists. */
  connectToLiaison(pillar: PillarType, token: TokenSource, options: ConnectionOptions = {}): Promise<string> {
    return this.connect(`liaison:${pillar}`, this.liaisonUrl(pillar), { ...options, token });
  }

  /** The URL of the guide endpoint under `baseUrl`. */
  guideUrl(): string {
    return this.url(this.paths.guidePath ?? '/api/ws/guide');
  }

  /** The URL of a liaison endpoint under `baseUrl`. */
  liaisonUrl(pillar: PillarType): string {
    return this.url(this.paths.liaisonPath ? this.paths.liaisonPath(pillar) : `/api/ws/liaison/${encodeURIComponent(pillar)}`);
  }
}
