// Structured logging: JSON lines through a pluggable sink; by default warn and
// error lines go to stderr ({@link defaultLogger}), info and debug are dropped.
// Fields whose names look like credentials are redacted, as a second line of
// defence: the runtime itself never passes a token to the logger.
import type { LogFields, Logger, LogLevel } from './types.js';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|authorization|cookie|secret|password|protocol/i;

/** A logger that drops everything (pass it to silence a server; tests that do not capture the logs use it). */
export const silentLogger: Logger = { log() {} };

/** Returns a copy of `fields` with credential-like keys replaced by "[redacted]" (shallow). */
export function redact(fields: LogFields): LogFields {
  let out: LogFields | undefined;
  for (const k in fields) {
    if (SECRET_KEY.test(k)) {
      out ??= { ...fields };
      out[k] = '[redacted]';
    }
  }
  return out ?? fields;
}

/** Options of {@link jsonLogger}. */
export interface JsonLoggerOptions {
  /** Lowest level written (default "info"). */
  level?: LogLevel;
  /** Where lines go (default: process.stderr). */
  write?: (line: string) => void;
}

/**
 * A logger writing one JSON object per line: `{"time","level","event",...fields}`.
 * Credential-like field names are redacted.
 */
export function jsonLogger(opts: JsonLoggerOptions = {}): Logger {
  const min = LEVELS[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  return {
    log(level, event, fields) {
      if (LEVELS[level] < min) return;
      const line = { time: new Date().toISOString(), level, event, ...(fields ? redact(fields) : {}) };
      let text: string;
      try {
        text = JSON.stringify(line);
      } catch {
        text = JSON.stringify({ time: line.time, level, event, note: 'unserializable fields' });
      }
      write(text + '\n');
    },
  };
}

/**
 * The servers' logger when the `logger` option is not given: warn and error events (a handler that threw, an invalid
 * outbound message, a slow consumer, a refused Redis command...) as one JSON line each on stderr (console.error)
 * (`{"time","level","event",...fields}`: `code`, `connection_id`, `message_id`, `hint` where the event has them),
 * credential-like field names redacted; info and debug events are dropped. So a failure is visible without any
 * configuration, as a Node program reports its warnings on stderr; pass {@link silentLogger} to drop everything or
 * `jsonLogger({ level: 'info' })` for more.
 */
export const defaultLogger: Logger = jsonLogger({ level: 'warn', write: (line) => console.error(line.trimEnd()) });
