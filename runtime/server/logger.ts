// Structured logging: JSON lines through a pluggable sink, silent by default.
// Fields whose names look like credentials are redacted, as a second line of
// defence: the runtime itself never passes a token to the logger.
import type { LogFields, Logger, LogLevel } from './types.js';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|authorization|cookie|secret|password|protocol/i;

/** A logger that drops everything (the default, and what tests use unless they capture). */
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
