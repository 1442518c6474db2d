/** The embedded database's directory: one process at a time, and a half-made first start is set aside. */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Unavailable } from "../shared/errors.js";
import { makeDirectory } from "../shared/make-directory.js";

const LOCK_FILE = "broadsheet.pid";
const PGDATA = "pgdata";
const READY_MARKER = "pgdata.ready";

export type DataDirLock = { release(): void };

/** A lock file holding the holder's pid and start time; taken over only when that process is gone. */
export function lockDataDir(dataDir: string): DataDirLock {
  makeDirectory(dataDir);
  const path = join(dataDir, LOCK_FILE);
  const mine = `${process.pid} ${processStartTime(process.pid) ?? ""}`.trim();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o644);
      writeToFile(fd, path, `${mine}\n`);
      return {
        release() {
          try {
            if (readFileSync(path, "utf8").trim() === mine) unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = readHolder(path);
    if (holder && isAlive(holder)) {
      throw new Unavailable(
        "DATA_DIR_IN_USE",
        `DATA_DIR ${dataDir} is in use by process ${holder.pid}: the embedded database allows one process. Stop that process, use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL server.`,
      );
    }
    takeOverStaleLock(path, holder?.raw ?? "");
  }
  throw new Unavailable("DATA_DIR_IN_USE", `Could not take the lock file ${path}; another process keeps taking it.`);
}

type Holder = { pid: number; startTime: string | undefined; raw: string };

function readHolder(path: string): Holder | undefined {
  try {
    const raw = readFileSync(path, "utf8").trim();
    const [pidText, startTime] = raw.split(" ");
    const pid = Number(pidText);
    return Number.isInteger(pid) && pid > 0 ? { pid, startTime, raw } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A recycled pid belongs to another process: its start time differs from the one recorded.
  const now = processStartTime(holder.pid);
  return holder.startTime === undefined || now === undefined || now === holder.startTime;
}

function takeOverStaleLock(path: string, staleContent: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // Someone else moved it; the next attempt sees the new state.
  }
  const moved = readFileSync(aside, "utf8").trim();
  if (moved !== staleContent) {
    // We moved a lock another process took in the meantime: put it back.
    renameSync(aside, path);
    return;
  }
  unlinkSync(aside);
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22 (starttime) counted after the command name, which may contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/**
 * The PostgreSQL directory inside DATA_DIR. A directory without the ready marker is a first start that was
 * interrupted while creating the database: it is moved aside so this start creates it afresh.
 */
export function preparePgdata(dataDir: string): { path: string; setAside: string | undefined } {
  const path = join(dataDir, PGDATA);
  let setAside: string | undefined;
  if (existsSync(path) && !existsSync(join(dataDir, READY_MARKER))) {
    setAside = `${path}.incomplete-${process.pid}-${Math.floor(process.uptime() * 1000)}`;
    renameSync(path, setAside);
  }
  return { path, setAside };
}

export function markPgdataReady(dataDir: string): void {
  const marker = join(dataDir, READY_MARKER);
  if (existsSync(marker)) return;
  writeToFile(openSync(marker, "w"), marker, "PGlite data directory created completely\n");
}

/** Writes, syncs and closes; a failure (a full disk) names the file, which a write on a descriptor does not. */
function writeToFile(fd: number, path: string, text: string): void {
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    (err as NodeJS.ErrnoException).path ??= path;
    throw err;
  } finally {
    closeSync(fd);
  }
}
