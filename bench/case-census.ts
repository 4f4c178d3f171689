/**
 * What a case is made of, as the database's garbage collector sees it (#24, eighth pass):
 * `npx tsx bench/case-census.ts`. One 常州 case as the server bench leaves it (submitted, then
 * approved by 人社) is read raw from the embedded database; every object, array and value counts as
 * one node, per top-level field, with the field's BSON bytes serialized on its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON } from 'bson';
import { configFromEnv, startServer } from '@lianban/server';
import { loadCity } from '@lianban/templates';

const PASSWORD = 'Bench-Census-2026';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-census-'));
const log = console.log;
console.log = (...args: unknown[]) => { if (!String(args[0]).startsWith('[通知')) log(...args); };
const server = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, demo: true, demoPassword: PASSWORD, webRoot: '/nonexistent' });
try {
  const login = async (username: string) => {
    const res = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const call = async (cookie: string, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${route}`, { method, headers: { 'content-type': 'application/json', cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const form = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
  const [applicant, hrss] = [await login('changzhou.applicant'), await login('changzhou.hrss')];
  const data = { ...(form.example as Record<string, unknown>), hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
  const sub = await call(applicant, 'POST', '/cases', { matter: 'changzhou-retirement', form: 'changzhou-retirement', data });
  const tasks = (await call(hrss, 'GET', '/tasks')) as unknown as { id: string; caseNo: string }[];
  const approval = tasks.find((t) => t.caseNo === sub.no)!;
  await call(hrss, 'POST', `/tasks/${approval.id}/complete`, { outcome: 'approved' });

  const raw = (await server.db.connection!.collection('cases').findOne({ no: sub.no }))! as Record<string, unknown>;
  const nodes = (v: unknown): number => (v && typeof v === 'object' && !(v instanceof Date) ? 1 + Object.values(v as object).reduce((n: number, x) => n + nodes(x), 0) : 1);
  const rows = Object.entries(raw).map(([field, v]) => ({ field, nodes: nodes(v), bytes: BSON.serialize({ v }).length })).sort((a, b) => b.nodes - a.nodes);
  const total = nodes(raw);
  log('field'.padEnd(16), 'nodes'.padStart(6), 'share'.padStart(6), 'bytes'.padStart(7));
  for (const r of rows) log(r.field.padEnd(16), String(r.nodes).padStart(6), `${((100 * r.nodes) / total).toFixed(0)} %`.padStart(6), String(r.bytes).padStart(7));
  log('whole case'.padEnd(16), String(total).padStart(6), '100 %'.padStart(6), String(BSON.serialize(raw).length).padStart(7));
} finally {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
