/**
 * WebSocketService: the client with every capability plugin (heartbeat, resume,
 * streams, requests), each working where the protocol has its roles. An app that wants a
 * smaller bundle constructs a {@link WebSocketClient} with the plugins it uses.
 */
import type { Capability } from './capability.js';
import { WebSocketClient, type WebSocketServiceOptions } from './client.js';
import { heartbeat } from './heartbeat.js';
import type { ProtocolDescriptor } from './protocol.js';
import { requests } from './replies.js';
import { resume } from './resume.js';
import { streams } from './streaming.js';

export type { AnyHandler, ErrorHandler, MessageHandler, RequestOptions, StatusHandler, StreamHandler, WebSocketServiceOptions } from './client.js';

/** Every capability plugin: `[heartbeat(), resume(), streams(), requests()]`. */
export function allCapabilities(): Capability[] {
  return [heartbeat(), resume(), streams(), requests()];
}

/** A {@link WebSocketClient} whose `capabilities` default to {@link allCapabilities}. See runtime/client/README.md. */
export class WebSocketService<P extends ProtocolDescriptor = ProtocolDescriptor, F extends string = never> extends WebSocketClient<P, F> {
  /** Like `new WebSocketClient(protocol, options)`, with every plugin unless `options.capabilities` says otherwise. */
  constructor(protocol: P, options: WebSocketServiceOptions<F> = {}) {
    super(protocol, { ...options, capabilities: options.capabilities ?? allCapabilities() });
  }
}
