/** Writes sections one by one into DATA_DIR's database, printing each id once its transaction committed. */
import { createSection } from "../../src/content/index.js";
import { openDatabase } from "../../src/db/index.js";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: write-loop DATA_DIR");
const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
process.stdout.write("ready\n");
for (let i = 0; i < 100_000; i++) {
  const { id } = await createSection(database.db, { name: `Crash test ${i}`, slug: `crash-test-${i}` });
  process.stdout.write(`${id}\n`);
}
await database.close();
