/**
 * The mixed load of the scale-out harness: applicants submitting, staff claiming and completing
 * tasks, readers listing and viewing cases — plain fetch clients (undici, keep-alive) with a
 * session each. Every answer is classified; what the clients were told succeeded is remembered
 * so that the checker can find it in the database afterwards.
 */
import { randomUUID } from 'node:crypto';
import { loadCity } from '@lianban/templates';
import { PASSWORD } from './cluster';

/** What a client saw, in the classes the report counts. */
export type Outcome =
  | 'ok' // 2xx
  | 'conflict' // 409: claimed by another, already done (a timer or a colleague was first)
  | 'unavailable' // 502/503/504: nginx found no process, or the server said try again
  | 'reset' // the connection broke (the process died under it)
  | 'timeout' // no answer within the client's patience
  | 'server-error' // 500 and other 5xx: a bug
  | 'client-error'; // other 4xx: a bug of the harness or the server

export const RETRY_FIXES: Outcome[] = ['conflict', 'unavailable', 'reset', 'timeout'];

export type Kind = 'login' | 'submit' | 'tasks' | 'claim' | 'complete' | 'list' | 'view' | 'publish' | 'setup';

export interface Answer {
  status: number;
  outcome: Outcome;
  body: any;
  code?: string;
  /** The server answered a retry with what an earlier attempt had done (Idempotent-Replayed). */
  replayed?: boolean;
  /** X-Next-Cursor: where a paged list continues. */
  next?: string;
}

export interface Counts {
  [kind: string]: Partial<Record<Outcome, number>>;
}

/** Per-phase counters and latencies. */
export class Recorder {
  readonly counts: Counts = {};
  readonly latencies: Record<string, number[]> = {};
  /** Notable failures (not 2xx/409), first few of each kind with their detail. */
  readonly samples: string[] = [];

  add(kind: Kind, outcome: Outcome, ms: number, detail: string): void {
    const k = (this.counts[kind] ??= {});
    k[outcome] = (k[outcome] ?? 0) + 1;
    if (outcome === 'ok') (this.latencies[kind] ??= []).push(ms);
    if (outcome !== 'ok' && outcome !== 'conflict' && this.samples.length < 40) this.samples.push(`${kind} ${outcome}: ${detail}`);
  }

  total(outcome?: Outcome, kinds?: Kind[]): number {
    let n = 0;
    for (const [kind, byOutcome] of Object.entries(this.counts)) {
      if (kinds && !kinds.includes(kind as Kind)) continue;
      for (const [o, c] of Object.entries(byOutcome)) if (!outcome || o === outcome) n += c!;
    }
    return n;
  }
}

function classify(status: number): Outcome {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 409) return 'conflict';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  if (status >= 500) return 'server-error';
  return 'client-error';
}

/** A signed-in user talking to one base URL (nginx, or one process directly). */
export class Client {
  cookie = '';
  constructor(public base: string, readonly username: string, private readonly rec?: Recorder) {}

  async login(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.call('POST', '/auth/login', { username: this.username, password: PASSWORD }, 'login');
      if (res.outcome === 'ok') return;
      if (attempt >= 5 || !RETRY_FIXES.includes(res.outcome)) throw new Error(`login ${this.username}: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async call(method: string, route: string, body?: unknown, kind: Kind = 'setup', headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<Answer> {
    const started = performance.now();
    let answer: Answer;
    try {
      const res = await fetch(`${this.base}/api/v1${route}`, {
        method,
        headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie?.startsWith('lianban_sid=') && route === '/auth/login') this.cookie = setCookie.split(';')[0]!;
      const text = await res.text();
      let parsed: any = text;
      try { parsed = JSON.parse(text); } catch { /* nginx's HTML error pages */ }
      answer = { status: res.status, outcome: classify(res.status), body: parsed, code: parsed?.error?.code, replayed: res.headers.get('idempotent-replayed') === 'true', next: res.headers.get('x-next-cursor') ?? undefined };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const timeout = e.name === 'TimeoutError' || e.name === 'AbortError';
      answer = { status: 0, outcome: timeout ? 'timeout' : 'reset', body: null, code: e.cause?.code ?? e.cause?.message ?? e.message };
    }
    this.rec?.add(kind, answer.outcome, performance.now() - started, `${method} ${route} → ${answer.status} ${answer.code ?? ''} via ${this.base}`);
    return answer;
  }
}

/** What the clients were told succeeded. */
export interface Acknowledged {
  cases: { id: string; no: string; matter: string; tenant: string }[];
  /** Submissions sent again (same Idempotency-Key) after an error, and how many of those the server replayed. */
  retried: number;
  replayed: number;
  claims: { taskId: string; caseId: string; user: string }[];
  completions: { taskId: string; caseId: string; user: string }[];
}

/** Pages (of 200 tasks) of its queue a member of staff looks through for a task of its matter. */
const STAFF_PAGES = 10;

export const MINI_MATTER = 'scale-mini';
/** The same small matter, but no one works on it: its timers all fire. */
export const TIMER_MATTER = 'scale-timer';

const changzhouForm = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
const changzhouData = { ...changzhouForm.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };

export interface LoadClients {
  submitters: Client[];
  staff: { client: Client; department: string; matter?: string }[];
  readers: { client: Client; kind: 'applicant' | 'admin' | 'staff' }[];
}

/** Signs in the load's clients (sessions live in the database: any process accepts them). */
export async function loadClients(base: string): Promise<LoadClients> {
  const c = (u: string) => new Client(base, u);
  const clients: LoadClients = {
    submitters: [c('luan.applicant'), c('changzhou.applicant'), c('luan.applicant'), c('changzhou.applicant')],
    staff: [
      { client: c('luan.hrss'), department: 'hrss', matter: MINI_MATTER },
      { client: c('luan.hrss2'), department: 'hrss', matter: MINI_MATTER },
      { client: c('luan.hrss3'), department: 'hrss', matter: MINI_MATTER },
      { client: c('luan.housing-fund'), department: 'housing-fund', matter: MINI_MATTER },
      { client: c('changzhou.hrss'), department: 'hrss' },
    ],
    readers: [{ client: c('luan.admin'), kind: 'admin' }, { client: c('changzhou.applicant'), kind: 'applicant' }, { client: c('luan.hrss'), kind: 'staff' }],
  };
  for (const x of [...clients.submitters, ...clients.staff.map((s) => s.client), ...clients.readers.map((r) => r.client)]) await x.login();
  return clients;
}

/**
 * Runs the mixed load against `base` for `durationMs` (or until `stop` settles): 4 submitters, 5 staff, 3 readers, each
 * sending its next request as soon as the last one is answered.
 */
export async function runLoad(clients: LoadClients, base: string, durationMs: number, rec: Recorder, ack: Acknowledged, stop?: Promise<unknown>): Promise<{ seconds: number }> {
  const all = [...clients.submitters, ...clients.staff.map((s) => s.client), ...clients.readers.map((r) => r.client)];
  for (const x of all) {
    x.base = base;
    (x as unknown as { rec: Recorder }).rec = rec;
  }
  const started = performance.now();
  // until durationMs has passed, or `stop` settles when given
  let end = stop ? Infinity : Date.now() + durationMs;
  stop?.finally(() => { end = Date.now(); });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const submitter = async (client: Client, i: number) => {
    for (let n = 0; Date.now() < end; n++) {
      const luan = client.username.startsWith('luan');
      const body = luan
        ? { matter: n % 3 === 2 ? TIMER_MATTER : MINI_MATTER, form: 'mini-form', data: { name: `申请人${i}-${n}`, idNumber: '341502196501150039', housingFund: true } }
        : { matter: 'changzhou-retirement', form: 'changzhou-retirement', data: changzhouData };
      // What a careful client does: one key per application, the same key on every retry, so a
      // retry after a lost answer never files a second application.
      const key = randomUUID();
      for (let attempt = 0; attempt < 20; attempt++) {
        if (attempt > 0) ack.retried++;
        const res = await client.call('POST', '/cases', body, 'submit', { 'idempotency-key': key });
        if (res.outcome === 'ok') {
          if (res.replayed) ack.replayed++;
          ack.cases.push({ id: res.body.id, no: res.body.no, matter: body.matter, tenant: luan ? 'luan' : 'changzhou' });
          break;
        }
        if (!RETRY_FIXES.includes(res.outcome)) break;
        await pause(200);
      }
    }
  };

  const staff = async ({ client, department, matter }: LoadClients['staff'][number]) => {
    while (Date.now() < end) {
      // the queue's first pages, as a clerk scrolls it: the timer matter's tasks nobody works on
      // have due dates and come first, so after a while the first page holds none of ours
      let open: any[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < STAFF_PAGES && !open.length && Date.now() < end; page++) {
        const list = await client.call('GET', `/tasks?state=open&department=${department}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, undefined, 'tasks');
        if (list.outcome !== 'ok') break;
        open = (list.body as any[]).filter((t) => t.state === 'open' && !t.formKey && (!matter || t.matter === matter));
        cursor = list.next;
        if (!cursor) break;
      }
      if (open.length === 0) { await pause(100); continue; }
      const task = open[Math.floor(Math.random() * Math.min(open.length, 4))];
      const claim = await client.call('POST', `/tasks/${task.id}/claim`, undefined, 'claim');
      if (claim.outcome !== 'ok') continue;
      ack.claims.push({ taskId: task.id, caseId: task.caseId, user: client.username });
      const outcome = task.outcomes?.length ? task.outcomes[0] : undefined;
      const done = await client.call('POST', `/tasks/${task.id}/complete`, outcome ? { outcome } : {}, 'complete');
      if (done.outcome === 'ok') ack.completions.push({ taskId: task.id, caseId: task.caseId, user: client.username });
    }
  };

  const reader = async ({ client, kind }: LoadClients['readers'][number]) => {
    while (Date.now() < end) {
      if (kind === 'staff') {
        await client.call('GET', '/tasks?state=open', undefined, 'list');
      } else {
        await client.call('GET', '/cases?limit=20', undefined, 'list');
        const mine = ack.cases.filter((c) => (kind === 'admin' ? c.tenant === 'luan' : c.tenant === 'changzhou'));
        const pick = mine[Math.floor(Math.random() * mine.length)];
        if (pick) await client.call('GET', `/cases/${pick.id}`, undefined, 'view');
      }
    }
  };

  await Promise.all([
    ...clients.submitters.map((c, i) => submitter(c, i)),
    ...clients.staff.map(staff),
    ...clients.readers.map(reader),
  ]);
  return { seconds: (performance.now() - started) / 1000 };
}
