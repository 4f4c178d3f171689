/**
 * The real server in a child process, on its own data directory with the embedded database in
 * demo mode — for the crash and two-process tests and the load benchmark, where the server must
 * be another process than the one driving it. It runs as production does (#24): the server built
 * with esbuild (`esbuild.config.ts`) and run by plain `node`; built once per process calling it,
 * from the sources as they are now, into a directory of its own under `server/dist/` (removed
 * when the process exits), so parallel test files do not build over each other.
 * `{ tsx: true }` runs `server/src/main.ts` through tsx instead (`npm run dev`'s way).
 *
 * The database children (`startDbChild`) run `npm run db`'s esbuild bundle the same way.
 *
 * With `LIANBAN_CPU_PROF_DIR` set, every server and database child runs under `node --cpu-prof`
 * and writes `server-….cpuprofile` / `database-….cpuprofile` there when it stops (the flame-graph
 * recipe of docs/benchmarks.md). `LIANBAN_CHILD_NODE_FLAGS` (space-separated V8 flags, e.g.
 * `--min-semi-space-size=16 --max-semi-space-size=32`) gives every child (and the scale-out
 * launcher's) those flags, for an A/B of them; none by default, as `npm run serve` and `npm run db`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// eslint-disable-next-line import-x/no-relative-packages -- the build script is the repo's tooling, not a workspace
import { buildServer } from '../../esbuild.config';
// eslint-disable-next-line import-x/no-relative-packages -- the database's build script, plain JS beside its workspace
import { dbBundle } from '../../embedded-db/build.mjs';

const repo = path.resolve(import.meta.dirname, '../..');
export const CHILD_PASSWORD = 'Child-Server-2026';

let built: Promise<string> | undefined;

/** The server bundle of this process (built at the first call). */
export function serverBundle(): Promise<string> {
  if (!built) {
    const dist = path.join(repo, 'server/dist');
    const dir = path.join(dist, `child-${process.pid}`);
    // test workers do not always see 'exit': bundles of processes no longer alive go at the next build
    for (const name of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
      const pid = /^child-(\d+)$/.exec(name)?.[1];
      if (pid && Number(pid) !== process.pid && !alive(Number(pid))) fs.rmSync(path.join(dist, name), { recursive: true, force: true });
    }
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    built = buildServer(path.join(dir, 'main.js'));
    built.catch(() => { built = undefined; });
  }
  return built;
}

/** The V8 flags of the children: LIANBAN_CHILD_NODE_FLAGS (an A/B of them), none by default. */
export function childNodeFlags(): string[] {
  return (process.env.LIANBAN_CHILD_NODE_FLAGS ?? '').split(/\s+/).filter((f) => /^--[a-z0-9-]+(=[\w.-]+)?$/.test(f));
}

let profiles = 0;
/** `node --cpu-prof` arguments when LIANBAN_CPU_PROF_DIR asks for profiles; none otherwise. */
function profileArgs(what: 'server' | 'database'): string[] {
  const dir = process.env.LIANBAN_CPU_PROF_DIR;
  if (!dir) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, `--cpu-prof-name=${what}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++profiles}.cpuprofile`];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts the server and resolves with its address once it prints it (60 s at most); `env` overrides (e.g. MONGODB_URI). */
export async function startChild(dataDir: string, env: NodeJS.ProcessEnv = {}, opts: { tsx?: boolean } = {}): Promise<{ child: ChildProcess; url: string }> {
  const args = [...childNodeFlags(), ...profileArgs('server'), ...(opts.tsx ? ['--import', 'tsx', path.join(repo, 'server/src/main.ts')] : [await serverBundle()])];
  const child = spawn(process.execPath, args, {
    cwd: repo,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LIANBAN_DATA_DIR: dataDir, LIANBAN_DEMO: '1', LIANBAN_DEMO_PASSWORD: CHILD_PASSWORD, LIANBAN_WEB_ROOT: '/nonexistent', MONGODB_URI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return waitForOutput(child, /started: (http:\/\/\S+)/, 'server').then((m) => ({ child, url: m[1]!.replace('localhost', '127.0.0.1') }));
}

/** Signs in and returns the session cookie (`name=value`). */
export async function childLogin(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: CHILD_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/**
 * `npm run db`'s entry point in a child process on `dbpath`; resolves once it listens with its
 * URI (credentials included: `--print-uri`) and its address (the URI without them, as the lock file names it).
 * It runs as `npm run db` does: the esbuild bundle (`embedded-db/build.mjs`, rebuilt when older
 * than the sources) by plain `node`; `{ tsx: true }` runs `embedded-db/src/cli.ts` through tsx.
 */
export async function startDbChild(dbpath: string, opts: { tsx?: boolean } = {}): Promise<{ child: ChildProcess; uri: string; address: string }> {
  const entry = opts.tsx ? ['--import', 'tsx', path.join(repo, 'embedded-db/src/cli.ts')] : [await dbBundle()];
  const child = spawn(process.execPath, [...childNodeFlags(), ...profileArgs('database'), ...entry, '--port', '0', '--dbpath', dbpath, '--print-uri'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  return waitForOutput(child, /URI: (mongodb:\/\/\S+)/, 'database').then((m) => ({ child, uri: m[1]!, address: withoutCredentials(m[1]!) }));
}

/** A mongodb:// URI without user, password and authSource. */
export function withoutCredentials(uri: string): string {
  const url = new URL(uri);
  url.username = '';
  url.password = '';
  url.searchParams.delete('authSource');
  return url.toString();
}

/** Resolves with the first match of `pattern` in the child's output (60 s at most, else the child is killed); rejects if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    // A child that never says where it listens would outlive the test run: stop it.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${what} did not start:\n${out}`)); }, 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}):\n${out}`)); });
  });
}
