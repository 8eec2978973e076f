/** Page settings from the query string: `?ws=ws://127.0.0.1:8787&token=...`. */
export interface PageConfig {
  /** Base URL of the wsgen server. */
  wsBase: string;
  /** Session token (the reference server prints a dev token). */
  token: string;
  /** Optional URL returning a fresh token as text; fetched on every (re)connect (a token provider). */
  tokenUrl: string | null;
}

export function readConfig(loc: { search: string; hostname: string }): PageConfig {
  const q = new URLSearchParams(loc.search);
  return {
    wsBase: q.get('ws') ?? `ws://${loc.hostname || '127.0.0.1'}:8787`,
    token: q.get('token') ?? '',
    tokenUrl: q.get('tokenUrl'),
  };
}
