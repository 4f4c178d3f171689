import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * What the browser entries of `@lianban/runtime` reach through their imports. ajv is Node-only
 * (it generates code, which the portal's CSP forbids, and weighs ~40 kB gzipped); it lives behind
 * `@lianban/runtime/validate`. A bundler keeps a CommonJS module it reaches whether or not its
 * exports are used, so the barrel must not reach it at all — not even through an unused export.
 */
const repo = path.resolve(import.meta.dirname, '../..');

/** Every package reachable from an entry file by following relative imports (type-only imports included: harmless but simple). */
function reachablePackages(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [path.join(repo, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (fileName.startsWith('.')) {
        const base = path.resolve(path.dirname(file), fileName);
        const found = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'].map((ext) => base + ext).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
        if (found && /\.tsx?$/.test(found)) queue.push(found);
      } else if (!packages.has(fileName)) {
        packages.set(fileName, path.relative(repo, file));
      }
    }
  }
  return packages;
}

describe('browser entries of the runtime', () => {
  it.each(['runtime/src/index.ts', 'runtime/src/web/index.ts'])('should not reach ajv from %s', (entry) => {
    const ajv = [...reachablePackages(entry)].filter(([pkg]) => /^ajv($|[-/])|^@lianban\/runtime\/validate$/.test(pkg));
    expect(ajv.map(([pkg, from]) => `${pkg} (imported by ${from})`)).toEqual([]);
  });

  it('should still reach ajv from the Node-only entry (the test would otherwise prove nothing)', () => {
    expect([...reachablePackages('runtime/src/forms/validate/index.ts').keys()]).toContain('ajv/dist/2020');
  });
});
