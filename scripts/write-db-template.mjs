// Makes <dist>/pgdata-template from the compiled server in <dist> (scripts/build.mjs runs it): an embedded
// database with every migration applied, which a first start copies (src/db/template.ts).
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dist = process.argv[2] ?? "dist";
const { writeDatabaseTemplate } = await import(pathToFileURL(join(dist, "db", "index.js")).href);
const applied = await writeDatabaseTemplate(join(dist, "pgdata-template"));
process.stdout.write(`Made the embedded database's template (${applied.length} migrations)\n`);
