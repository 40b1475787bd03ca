import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface PgliteLock {
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * PGlite is one process's database: a second process on the same folder would keep its own copy
 * in memory and overwrite the first one's acknowledged writes. `<dataDir>.lock` holds the owner's
 * pid; a lock whose process is gone (a crash, kill -9) is taken over.
 */
export function lockPgliteFolder(dataDir: string): PgliteLock {
  const lockFile = `${dataDir.replace(/\/+$/, "")}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: "wx" });
      return {
        release: () => {
          if (ownerOf(lockFile) === process.pid) rmSync(lockFile, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = ownerOf(lockFile);
    if (owner !== undefined && isRunning(owner)) {
      const who = owner === process.pid ? "this process" : `process ${owner}`;
      throw new Error(
        `The PGlite database in ${dataDir} is in use by ${who}. Stop that tierkit first, or set DATABASE_URL to use PostgreSQL; two processes on one PGlite folder would lose each other's writes. (If no tierkit is running there, delete ${lockFile}.)`,
      );
    }
    // Stale: its owner is gone. Removed and retried once, so two starters racing cannot both win.
    rmSync(lockFile, { force: true });
  }
  throw new Error(`Could not take the lock ${lockFile}; another process is starting on the same PGlite folder.`);
}
