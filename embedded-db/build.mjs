/**
 * The production build of the embedded database's CLI (#24), as `esbuild.config.ts` builds the
 * server: `embedded-db/src/cli.ts` and everything it imports (bson, mingo included) bundled by
 * esbuild into one ES module, `embedded-db/dist/cli.js` (git-ignored), run by plain `node` — no
 * TypeScript compiler and no resolution of a hundred source files at start. Plain JavaScript, so
 * `npm run db` needs no tsx (`npm run db:dev` still runs the sources through tsx).
 *
 *   node embedded-db/build.mjs                 // npm run build:db: builds now
 *   import { dbBundle } from './embedded-db/build.mjs';
 *   const cli = await dbBundle();              // builds only if absent or stale; the bundle's path
 *
 * Stale: older than any file under `embedded-db/src/`, this file or `embedded-db/package.json`.
 * A build writes a temporary file and renames it, so processes building at once (test files,
 * the bench's children) never run a half-written bundle. Nothing is minified, so functions keep
 * their names in `--cpu-prof` profiles; `cli.js.map` maps stack traces back to the sources
 * (`node --enable-source-maps`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DB_ENTRY = path.join(here, 'src/cli.ts');
export const DB_BUNDLE = path.join(here, 'dist/cli.js');

/** Newest modification time (ms) of the bundle's inputs: the sources, this script, the manifest. */
function newestInput() {
  let newest = Math.max(fs.statSync(fileURLToPath(import.meta.url)).mtimeMs, fs.statSync(path.join(here, 'package.json')).mtimeMs);
  const stack = [path.join(here, 'src')];
  while (stack.length) {
    const dir = stack.pop();
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  }
  return newest;
}

/** Whether `outfile` is missing or older than an input. */
export function isStale(outfile = DB_BUNDLE) {
  let built;
  try {
    built = fs.statSync(outfile).mtimeMs;
  } catch {
    return true;
  }
  return built < newestInput();
}

/** Bundles the CLI into `outfile` (default `embedded-db/dist/cli.js`); resolves with its path. */
export async function buildDb(outfile = DB_BUNDLE) {
  const { build } = await import('esbuild');
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp`;
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  try {
    await build({
      entryPoints: [DB_ENTRY],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      sourcemap: 'linked',
      // not minified, so functions keep their names in profiles; no keepNames: its helper runs on every
      // closure mingo creates per query (~1-2 % of the database's CPU under load)
      minify: false,
      logLevel: 'warning',
      // bson and mingo are bundled; CommonJS inside them may still ask for Node's built-ins
      banner: { js: "import { createRequire as __lianbanRequire } from 'node:module'; const require = __lianbanRequire(import.meta.url);" },
    });
    // the map names the temporary file: point the bundle at its final map
    const map = `${outfile}.map`;
    fs.renameSync(`${tmp}.map`, map);
    const code = fs.readFileSync(tmp, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${path.basename(map)}`);
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, outfile);
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${tmp}.map`, { force: true });
  }
  return outfile;
}

/** The bundle's path, built first if absent or stale. */
export async function dbBundle(outfile = DB_BUNDLE) {
  if (isStale(outfile)) await buildDb(outfile);
  return outfile;
}

// `node embedded-db/build.mjs` (npm run build:db)
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const out = await buildDb();
  console.log(`database built: ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB, ${Math.round(performance.now() - started)} ms)`);
}
