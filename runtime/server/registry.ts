// The realm-aware connection registry (WebSocketFoundationService's index):
// every open connection by id, session, user, endpoint and realm.
// Lookups are O(1); fan-out helpers filter by realm AND tenant, so a
// connection never receives a message for another realm or tenant.
import type { Connection } from './connection.js';

// A session has one connection per endpoint, usually one in all: its index
// entry holds the connection itself until a second one arrives (a Set per
// session would cost ~150 bytes per connection).
function addOne(m: Map<string, Connection | Set<Connection>>, k: string, c: Connection): void {
  const v = m.get(k);
  if (v === undefined) m.set(k, c);
  else if (v instanceof Set) v.add(c);
  else if (v !== c) m.set(k, new Set([v, c]));
}
function removeOne(m: Map<string, Connection | Set<Connection>>, k: string, c: Connection): void {
  const v = m.get(k);
  if (v === c) m.delete(k);
  else if (v instanceof Set) {
    v.delete(c);
    if (v.size === 1) m.set(k, v.values().next().value as Connection);
    else if (v.size === 0) m.delete(k);
  }
}
function addTo<K>(m: Map<K, Set<Connection>>, k: K, c: Connection): void {
  let s = m.get(k);
  if (s === undefined) m.set(k, (s = new Set()));
  s.add(c);
}
function removeFrom<K>(m: Map<K, Set<Connection>>, k: K, c: Connection): void {
  const s = m.get(k);
  if (s === undefined) return;
  s.delete(c);
  if (s.size === 0) m.delete(k);
}
const EMPTY: ReadonlySet<Connection> = new Set();

/** A selector for fan-out: realm and tenant are mandatory, the rest narrows. */
export interface Audience {
  realm: string;
  tenant: string;
  /** One concrete endpoint, by key (`liaison:content`). */
  endpoint?: string;
  /** Every endpoint declared under a name (`liaison`: all pillars). */
  name?: string;
  userId?: string;
}

/** Indexes of the open connections. */
export class Registry {
  private readonly byId = new Map<string, Connection>();
  private readonly bySession = new Map<string, Connection | Set<Connection>>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly byEndpoint = new Map<string, Set<Connection>>();
  private readonly byName = new Map<string, Set<Connection>>();
  private readonly byRealm = new Map<string, Set<Connection>>();

  /** Number of open connections. */
  get size(): number {
    return this.byId.size;
  }

  /** Adds a connection to every index. */
  add(c: Connection): void {
    this.byId.set(c.id, c);
    addOne(this.bySession, c.session.sessionId, c);
    addTo(this.byUser, c.session.userId, c);
    addTo(this.byEndpoint, c.endpoint.key, c);
    addTo(this.byName, c.endpoint.name, c);
    addTo(this.byRealm, c.session.realm, c);
  }

  /** Removes a connection from every index; a no-op when absent. */
  remove(c: Connection): boolean {
    if (this.byId.get(c.id) !== c) return false;
    this.byId.delete(c.id);
    removeOne(this.bySession, c.session.sessionId, c);
    removeFrom(this.byUser, c.session.userId, c);
    removeFrom(this.byEndpoint, c.endpoint.key, c);
    removeFrom(this.byName, c.endpoint.name, c);
    removeFrom(this.byRealm, c.session.realm, c);
    return true;
  }

  /** The connection of an id. */
  get(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  /** Every open connection. */
  all(): IterableIterator<Connection> {
    return this.byId.values();
  }

  /** Connections of a session (one per endpoint). */
  forSession(sessionId: string): ReadonlySet<Connection> {
    const v = this.bySession.get(sessionId);
    return v === undefined ? EMPTY : v instanceof Set ? v : new Set([v]);
  }

  /** Connections of a user. */
  forUser(userId: string): ReadonlySet<Connection> {
    return this.byUser.get(userId) ?? EMPTY;
  }

  /** Connections of one concrete endpoint (by key). */
  forEndpoint(key: string): ReadonlySet<Connection> {
    return this.byEndpoint.get(key) ?? EMPTY;
  }

  /** Connections of every endpoint declared under `name`. */
  forName(name: string): ReadonlySet<Connection> {
    return this.byName.get(name) ?? EMPTY;
  }

  /** Connections of a realm (all tenants: filter by tenant before sending). */
  forRealm(realm: string): ReadonlySet<Connection> {
    return this.byRealm.get(realm) ?? EMPTY;
  }

  /** The connections an audience selects: same realm and tenant always, then endpoint, endpoint name and user when given. */
  *select(a: Audience): Generator<Connection> {
    const base =
      a.userId !== undefined ? this.forUser(a.userId) : a.endpoint !== undefined ? this.forEndpoint(a.endpoint) : a.name !== undefined ? this.forName(a.name) : this.forRealm(a.realm);
    for (const c of base) {
      const s = c.session;
      if (s.realm !== a.realm || s.tenant !== a.tenant) continue;
      if (a.endpoint !== undefined && c.endpoint.key !== a.endpoint) continue;
      if (a.name !== undefined && c.endpoint.name !== a.name) continue;
      if (a.userId !== undefined && s.userId !== a.userId) continue;
      yield c;
    }
  }
}
