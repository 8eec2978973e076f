// A TCP proxy on 127.0.0.1 whose connections can be cut, to force a network drop
// between a client and any server without touching the server. While `down`, it
// refuses new connections (they are destroyed at once: the client sees 1006).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class CutProxy {
  private refusing = false;
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(targetPort: number): Promise<CutProxy> {
    const sockets = new Set<Socket>();
    let self: CutProxy | undefined;
    const server = createServer((client) => {
      if (self?.refusing) {
        client.on('error', () => {});
        client.destroy();
        return;
      }
      const upstream = connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    self = new CutProxy(server, (server.address() as AddressInfo).port, sockets);
    return self;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Destroys every proxied connection (both sides see an abrupt drop). */
  cut(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Cuts every connection and refuses new ones until {@link up}. */
  down(): void {
    this.refusing = true;
    this.cut();
  }

  /** Accepts connections again. */
  up(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
