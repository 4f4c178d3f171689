/**
 * The pieces of a scale-out deployment on loopback, each a real child process: the embedded
 * database alone (`npm run db`), several server processes (`server/src/main.ts` on MONGODB_URI,
 * demo mode) and Debian's nginx in front of them (a temporary prefix: config, pid, logs and
 * temp files all under it, run in the foreground as our child).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
// eslint-disable-next-line import-x/no-relative-packages -- the database's build script, plain JS beside its workspace
import { dbBundle } from '../../embedded-db/build.mjs';
import { findExecutable } from '../find-executable';
import { childNodeFlags } from '../server/child-server';

export const repo = path.resolve(import.meta.dirname, '../..');
export const PASSWORD = 'Scale-Out-2026';

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

/** The nginx executable, or an error that says how to install it. */
export function findNginx(env: NodeJS.ProcessEnv = process.env, candidates: string[] = NGINX_CANDIDATES): string {
  return findExecutable({
    need: 'The scale-out tests need nginx',
    envVar: 'NGINX_PATH',
    candidates,
    install: 'Install Debian\'s package with `apt-get update && apt-get install -y nginx` (what .ci/run does), or set NGINX_PATH to an nginx executable.',
  }, env);
}

/** A free loopback port (bound and released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A child process whose output goes to a log file; `waitFor` matches what it printed. */
class Logged {
  readonly child: ChildProcess;
  private out = '';
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) {
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    this.child = spawn(cmd, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (b: Buffer) => {
      log.write(b);
      // Only the start of the output is matched against (the start-up lines).
      if (this.out.length < 20_000) this.out += b.toString();
      for (const w of [...this.waiters]) {
        const m = w.re.exec(this.out);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => { log.end(); resolve(code); }));
  }

  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const now = re.exec(this.out);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: nothing matching ${re} within ${timeoutMs} ms:\n${this.out.slice(-3000)}`)), timeoutMs);
      const entry = { re, resolve: (m: RegExpMatchArray) => { clearTimeout(timer); resolve(m); } };
      this.waiters.push(entry);
      this.exited.then((code) => {
        if (!this.waiters.includes(entry)) return;
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code}) before printing ${re}:\n${this.out.slice(-3000)}`));
      });
    });
  }

  output(): string {
    return this.out;
  }
}

/** The embedded database alone, as `npm run db` starts it. */
export class DatabaseProcess {
  private proc?: Logged;
  uri = '';

  constructor(private readonly dir: string, private readonly logDir: string) {}

  async start(): Promise<void> {
    // as `npm run db` runs it: the esbuild bundle, by plain node
    this.proc = new Logged('database', process.execPath, [...childNodeFlags(), await dbBundle(), '--port', '0', '--dbpath', this.dir, '--print-uri'], process.env, path.join(this.logDir, 'db.log'));
    const m = await this.proc.waitFor(/URI: (mongodb:\/\/\S+)/, 60_000);
    // The server processes and the checker share one database name.
    const url = new URL(m[1]!);
    url.pathname = '/lianban';
    this.uri = url.toString();
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  async stop(): Promise<void> {
    if (!this.proc || this.proc.child.exitCode !== null) return;
    this.proc.child.kill('SIGTERM');
    await Promise.race([this.proc.exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (this.proc.child.exitCode === null) this.proc.child.kill('SIGKILL');
  }
}

/** One Lianban server process (`server/src/main.ts`) on a fixed loopback port. */
export class ServerProcess {
  private proc?: Logged;
  /** Pids of every incarnation (a restart is a new process). */
  readonly pids: number[] = [];
  readonly url: string;

  constructor(readonly index: number, readonly port: number, private readonly dbUri: string, private readonly logDir: string) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  get running(): boolean {
    return !!this.proc && this.proc.child.exitCode === null && this.proc.child.signalCode === null;
  }

  async start(): Promise<void> {
    const env = {
      ...process.env, PORT: String(this.port), HOST: '127.0.0.1', MONGODB_URI: this.dbUri,
      LIANBAN_DEMO: '1', LIANBAN_DEMO_PASSWORD: PASSWORD, LIANBAN_WEB_ROOT: '/nonexistent', NODE_ENV: 'production',
      // nginx on loopback: its X-Forwarded-For names the harness's client (docs/production.md)
      LIANBAN_TRUSTED_PROXIES: '127.0.0.1',
    };
    this.proc = new Logged(`server ${this.index}`, process.execPath, [...childNodeFlags(), '--import', 'tsx', 'server/src/main.ts'], env, path.join(this.logDir, `server-${this.index}.log`));
    this.pids.push(this.proc.child.pid!);
    await this.proc.waitFor(/started: http/, 90_000);
  }

  /** Whether this incarnation seeded the demo data (it says so at start). */
  seeded(): boolean {
    return /演示数据已写入/.test(this.proc?.output() ?? '');
  }

  /** `kill -9`: no chance to finish anything. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.proc!.child.kill('SIGKILL');
    await this.proc!.exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.proc!.child.kill('SIGTERM');
    await Promise.race([this.proc!.exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (this.running) await this.kill9();
  }
}

/** CPU seconds a process and its children (nginx's workers) have used so far (Linux /proc). */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  const ticks = (p: number) => {
    try {
      // fields after the command name: state ppid … utime(14) stime(15)
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  };
  let total = ticks(pid);
  try {
    for (const child of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) total += ticks(Number(child));
  } catch { /* no children file: the process alone */ }
  return total / 100; // USER_HZ
}

/** nginx in the foreground with a temporary prefix: one front end on one process, one on all. */
export class NginxProcess {
  private proc?: Logged;
  urlOne = '';
  urlAll = '';

  constructor(private readonly prefix: string, private readonly upstreamPorts: number[]) {}

  async start(): Promise<void> {
    const nginx = findNginx();
    fs.mkdirSync(this.prefix, { recursive: true });
    // nginx's workers drop root for nobody: they must be able to reach their temp directories.
    fs.chmodSync(this.prefix, 0o755);
    const [listenOne, listenAll] = [await freePort(), await freePort()];
    const conf = fs.readFileSync(path.join(import.meta.dirname, 'nginx.conf.template'), 'utf8')
      .replaceAll('{{USER}}', process.getuid?.() === 0 ? 'user nobody nogroup;' : '')
      .replaceAll('{{PREFIX}}', this.prefix)
      .replaceAll('{{PORT_1}}', String(this.upstreamPorts[0]))
      .replaceAll('{{SERVERS}}', this.upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n'))
      .replaceAll('{{LISTEN_ONE}}', String(listenOne))
      .replaceAll('{{LISTEN_ALL}}', String(listenAll));
    const confFile = path.join(this.prefix, 'nginx.conf');
    fs.writeFileSync(confFile, conf);
    // -e: the error log from the first moment (never the system's /var/log/nginx).
    this.proc = new Logged('nginx', nginx, ['-p', this.prefix, '-c', confFile, '-e', path.join(this.prefix, 'error.log')], process.env, path.join(this.prefix, 'stdout.log'));
    this.urlOne = `http://127.0.0.1:${listenOne}`;
    this.urlAll = `http://127.0.0.1:${listenAll}`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (this.proc.child.exitCode !== null) {
        const log = fs.existsSync(path.join(this.prefix, 'error.log')) ? fs.readFileSync(path.join(this.prefix, 'error.log'), 'utf8') : '';
        throw new Error(`nginx exited (${this.proc.child.exitCode}):\n${this.proc.output()}\n${log}`);
      }
      const ok = await fetch(`${this.urlAll}/api/v1/health`).then((r) => r.ok, () => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${this.urlAll}:\n${this.proc.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get pid(): number | undefined {
    return this.proc?.child.pid;
  }

  errorLog(): string {
    const file = path.join(this.prefix, 'error.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }

  async stop(): Promise<void> {
    if (!this.proc || this.proc.child.exitCode !== null) return;
    this.proc.child.kill('SIGQUIT');
    await Promise.race([this.proc.exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (this.proc.child.exitCode === null) this.proc.child.kill('SIGKILL');
  }
}
