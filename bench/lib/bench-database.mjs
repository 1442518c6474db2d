// A fresh database on a PostgreSQL server for one bench run, dropped afterwards. The bench marks the databases it
// makes, so a leftover from an interrupted run is replaced, and a database it did not make is never dropped.
import pg from "pg";

const MARK = "made by the Broadsheet bench, dropped when the bench ends";

/** Creates the database named in `url` (after dropping a leftover of an earlier bench run) and returns `drop`. */
export async function createBenchDatabase(url) {
  const name = databaseName(url);
  await withServer(url, async (client) => {
    const { rows } = await client.query(
      "SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows.length > 0 && rows[0].note !== MARK) {
      throw new Error(
        `the database ${name} already exists and the bench did not make it: name another one in --database-url, ` +
          `or drop it first (dropdb ${name})`,
      );
    }
    const quoted = client.escapeIdentifier(name);
    if (rows.length > 0) await client.query(`DROP DATABASE ${quoted}`);
    await client.query(`CREATE DATABASE ${quoted}`);
    await client.query(`COMMENT ON DATABASE ${quoted} IS ${client.escapeLiteral(MARK)}`);
  });
  return () => withServer(url, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`));
}

/**
 * A copy of the database named in `url`, as `<name>_<suffix>` on the same server (made with it as the template,
 * after dropping a leftover copy of an earlier run), for a bench that measures two builds on the same data.
 * Returns the copy's URL.
 */
export async function copyBenchDatabase(url, suffix) {
  const source = databaseName(url);
  const copy = new URL(url);
  copy.pathname = `/${source}_${suffix}`;
  const name = databaseName(copy.href);
  await withServer(url, async (client) => {
    const { rows } = await client.query(
      "SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows.length > 0 && rows[0].note !== MARK) {
      throw new Error(`the database ${name} already exists and the bench did not make it: drop it first`);
    }
    const quoted = client.escapeIdentifier(name);
    if (rows.length > 0) await client.query(`DROP DATABASE ${quoted}`);
    await client.query(`CREATE DATABASE ${quoted} TEMPLATE ${client.escapeIdentifier(source)}`);
    await client.query(`COMMENT ON DATABASE ${quoted} IS ${client.escapeLiteral(MARK)}`);
  });
  return copy.href;
}

/** Where the database lives, without its password, for a report. */
export function describeDatabaseUrl(url) {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.href;
}

function databaseName(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`--database-url must name a database of lowercase letters, digits and _ (got "${name}")`);
  }
  return name;
}

/** Runs `work` connected to the server's maintenance database, since a database cannot drop itself. */
async function withServer(url, work) {
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.href });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
