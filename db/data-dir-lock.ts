// One process per PGlite folder. Two PGlite instances on the same files would each believe
// they own them and drift apart without an error, so a second process is refused at start.

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(directory: string, pid: number) {
    super(
      pid === process.pid
        ? `The data folder ${directory} is already open in this process.`
        : `The data folder ${directory} is in use by another Parley process (pid ${pid}). ` +
            'Stop it first, or set DATA_DIR to another folder. If no Parley process is ' +
            `running, delete ${join(directory, 'parley.pid')}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export function acquireDataDirLock(directory: string): DataDirLock {
  const path = join(directory, 'parley.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return {
        release: () => {
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== null && isAlive(owner)) {
        throw new DataDirLockedError(directory, owner);
      }
      // The owner died without cleaning up (a crash or SIGKILL): the lock is stale.
      unlinkSync(path);
    }
  }
  throw new Error(`Could not lock the data folder ${directory}.`);
}

function readOwner(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
