import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every package a workspace's source imports is declared in that workspace's package.json, so a
 * workspace can be installed, built or extracted alone and the dependency graph in the manifests
 * is the real one. Hoisting in node_modules hides a missing declaration until the day it does
 * not, which is why this scans the imports instead of trusting a successful build.
 *
 * Tooling the root runs over the whole repo (vitest, eslint, vite, tsx, playwright, fast-check…)
 * stays in the root devDependencies: test code, bench code and config files may use it.
 */
const repo = path.resolve(import.meta.dirname, '../..');
const WORKSPACES = ['runtime', 'embedded-db', 'server', 'designer', 'templates', 'test'];

/** Declared on purpose though no source imports them. */
const NOT_IMPORTED: Record<string, string[]> = {
  runtime: ['react-is'], // peer dependency of @formily/antd-v5
  server: ['multer', 'node-source-han-sans-sc'], // peer dependency of @koa/multer; the CJK font file the documents embed (resolved by path)
  root: ['tsx'], // runs the server, the CLI and the benchmarks (package.json scripts)
};

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  workspaces?: string[];
}

function manifest(dir: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(repo, dir, 'package.json'), 'utf8')) as Manifest;
}

function declared(m: Manifest): Record<string, string> {
  return { ...m.peerDependencies, ...m.devDependencies, ...m.dependencies };
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(file, out);
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(file);
  }
  return out;
}

/** The package a bare specifier names (`@scope/pkg/deep` → `@scope/pkg`), or undefined for relative paths and Node built-ins. */
function packageOf(specifier: string): string | undefined {
  const bare = specifier.replace(/\?.*$/, '');
  if (bare.startsWith('.') || bare.startsWith('/') || bare.startsWith('node:') || bare.startsWith('virtual:')) return undefined;
  const parts = bare.split('/');
  const name = bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/** Packages a file imports: static and dynamic imports, re-exports, require and require.resolve. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  // The TypeScript pre-processor reads import syntax only, so import statements inside strings
  // (the lint tests are full of them) are not counted.
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  for (const match of text.matchAll(/(?:\brequire|createRequire\([^)]*\))\.resolve\(\s*['"]([^'"]+)['"]/g)) specifiers.push(match[1]!);
  return specifiers.map(packageOf).filter((p): p is string => p !== undefined);
}

/** Which files belong to a workspace, and whether they are run by the root's tooling. */
function filesOf(workspace: string): { file: string; tooling: boolean }[] {
  if (workspace === 'root') {
    const configs = fs.readdirSync(repo).filter((f) => /\.(ts|js|mjs)$/.test(f)).map((f) => path.join(repo, f));
    return [...sourceFiles(path.join(repo, 'bench')), ...configs].map((file) => ({ file, tooling: true }));
  }
  return sourceFiles(path.join(repo, workspace)).map((file) => ({
    file,
    tooling: workspace === 'test' || /\.config\.(ts|js|mjs)$/.test(file),
  }));
}

const root = manifest('.');
const toolingDeps = declared(root);

describe('dependencies', () => {
  it('should list every workspace in the root package.json', () => {
    expect([...root.workspaces!].sort()).toEqual([...WORKSPACES].sort());
  });

  it.each([...WORKSPACES, 'root'])('should declare every package %s imports', (workspace) => {
    const own = workspace === 'root' ? root : manifest(workspace);
    const deps = declared(own);
    const missing = new Set<string>();
    for (const { file, tooling } of filesOf(workspace)) {
      for (const pkg of importsOf(file)) {
        if (pkg === own.name || pkg in deps || (tooling && pkg in toolingDeps)) continue;
        missing.add(`${pkg} (${path.relative(repo, file)})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it.each(['runtime', 'embedded-db', 'server', 'designer', 'templates', 'test', 'root'])('should not declare what %s does not import', (workspace) => {
    const own = workspace === 'root' ? root : manifest(workspace);
    const used = new Set(filesOf(workspace).flatMap(({ file }) => importsOf(file)));
    // The root's devDependencies are the tooling for test code and config files too.
    if (workspace === 'root') for (const { file } of filesOf('test')) for (const p of importsOf(file)) used.add(p);
    const allowed = new Set(NOT_IMPORTED[workspace] ?? []);
    const unused = Object.keys(declared(own)).filter((p) => !used.has(p) && !p.startsWith('@types/') && !allowed.has(p));
    expect(unused).toEqual([]);
  });

  it('should ask for one version range of each package across the workspaces', () => {
    const ranges = new Map<string, Set<string>>();
    for (const dir of ['.', ...WORKSPACES]) {
      for (const [pkg, range] of Object.entries(declared(manifest(dir)))) {
        if (!ranges.has(pkg)) ranges.set(pkg, new Set());
        ranges.get(pkg)!.add(range);
      }
    }
    const conflicts = [...ranges].filter(([, r]) => r.size > 1).map(([pkg, r]) => `${pkg}: ${[...r].join(' | ')}`);
    expect(conflicts).toEqual([]);
  });
});
