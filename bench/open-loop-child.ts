/**
 * One open-loop round in a process of its own (#24): `openLoopInChild(options)` runs `openLoop`
 * (open-loop.ts) in a fresh `node` child and returns its result. The load generator's own garbage
 * collection must not stand in the server's way: in the whole `npm run bench`, the bench process
 * has run the scale and form benchmarks before the server's rounds, and its heap's major GC took
 * 1.0–1.6 of the machine's 2 cores while requests were in flight (bench/saturation.ts). A fresh
 * process holds only the round.
 *
 * The child reads the options as JSON on stdin and writes `{ result, collected }` on stdout:
 * `paths` (one per request, or one for all) stand for `path(i)`, and `collect` names the field of
 * the answers with a given status to send back (the case numbers of the submissions, which feed
 * the completions).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLoop, type OpenLoopOptions, type OpenLoopResult } from './open-loop';

export interface ChildLoopOptions extends Omit<OpenLoopOptions, 'path' | 'onAnswer'> {
  /** The path of each request (`paths[i]`), or of all when there is one. */
  paths: string[];
  /** Answers with this status: their JSON's `field` is collected, in answer order. */
  collect?: { status: number; field: string };
}

const self = fileURLToPath(import.meta.url);

/** Runs the round in a child process (`onSpawn`: its pid, to watch); resolves with its result and the collected fields. */
export function openLoopInChild(o: ChildLoopOptions, onSpawn?: (pid: number) => void): Promise<{ result: OpenLoopResult; collected: unknown[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self], { cwd: path.resolve(path.dirname(self), '..'), stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid) onSpawn?.(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the open-loop child exited with ${code}: ${Buffer.concat(err).toString().slice(-2000)}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString()));
      } catch (e) {
        reject(new Error(`the open-loop child's answer is not JSON: ${(e as Error).message}; stderr: ${Buffer.concat(err).toString().slice(-2000)}`));
      }
    });
    child.stdin.end(JSON.stringify(o));
  });
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const o = JSON.parse(Buffer.concat(chunks).toString()) as ChildLoopOptions;
  const collected: unknown[] = [];
  const result = await openLoop({
    ...o,
    path: (i) => o.paths[o.paths.length === 1 ? 0 : i]!,
    onAnswer: o.collect ? (status, text) => { if (status === o.collect!.status) collected.push((JSON.parse(text) as Record<string, unknown>)[o.collect!.field]); } : undefined,
  });
  process.stdout.write(JSON.stringify({ result, collected }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) await main();
