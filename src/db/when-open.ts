import type { Database, Db } from "./client.js";
import type { OpenedDatabase } from "./open-database.js";

/**
 * The database while it is still opening, for a server that registers its routes meanwhile: the embedded
 * database's thread takes about as long to open as the main thread takes to build the app, so each waits for
 * neither. Its methods wait for the opening (and the migrations with it); its query builder `db` works only once
 * the database has opened, so no query can run against a schema not yet brought up to date: reaching for it
 * earlier throws at once, naming what was reached for.
 */
export function databaseWhenOpen(opening: Promise<OpenedDatabase>, kind: Database["kind"]): Database {
  let open: Database | undefined;
  const ready = opening.then((opened) => {
    open = opened.database;
    return opened.database;
  });
  // Whoever awaits the opening reports its failure; the calls waiting on it reject with it.
  ready.catch(() => undefined);
  const openDb = (reachedFor: string): Db => {
    if (!open) throw new Error(`the database was used before it had opened (db.${reachedFor})`);
    return open.db;
  };
  // Its methods bound once each: every query of the server's life goes through here. What is set on the handle
  // itself (a test's spy) stays there and is found first.
  const bound = new Map<string | symbol, unknown>();
  const db = new Proxy({} as Db, {
    get(handle, key) {
      if (Object.hasOwn(handle, key)) return Reflect.get(handle, key);
      const target = openDb(String(key));
      if (bound.has(key)) return bound.get(key);
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      const method = value.bind(target);
      bound.set(key, method);
      return method;
    },
    getPrototypeOf: () => Object.getPrototypeOf(openDb("prototype")),
  });
  return {
    kind,
    db,
    exec: async (sqlText) => (await ready).exec(sqlText),
    withAdvisoryLock: async (key, work) => (await ready).withAdvisoryLock(key, work),
    listen: async (channel, onMessage) => (await ready).listen(channel, onMessage),
    notify: async (channel, payload) => (await ready).notify(channel, payload),
    close: async () => (await ready).close(),
  };
}
