/**
 * Finds a system program the tests drive (Chromium, nginx): the path in its environment
 * variable, else the first of the usual places — or an error that says how to install it.
 * Nothing is ever downloaded.
 */
import fs from 'node:fs';

export interface Executable {
  /** What the tests call it, e.g. "Browser tests need Chromium". */
  need: string;
  /** Environment variable that may name the executable. */
  envVar: string;
  candidates: string[];
  /** How to install it, with the Debian package name. */
  install: string;
}

export function findExecutable(what: Executable, env: NodeJS.ProcessEnv = process.env): string {
  const set = env[what.envVar];
  if (set) {
    if (fs.existsSync(set)) return set;
    throw new Error(`${what.envVar} is set to "${set}" but no such file exists.`);
  }
  const found = what.candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  throw new Error(`${what.need} and none was found. ${what.install} Looked in: ${what.candidates.join(', ')}`);
}
