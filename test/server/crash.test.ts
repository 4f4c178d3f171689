/**
 * Crash safety: the real server in a child process (embedded database, demo mode) takes a load of
 * submissions and is killed with SIGKILL in the middle; restarted on the same data directory,
 * every case it had acknowledged with 201 is there, complete.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCity } from '@lianban/templates';
import { childLogin, startChild } from './child-server';

async function api(url: string, cookie: string, method: string, route: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${route}`, { method, headers: { 'content-type': 'application/json', cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() as any };
}

const login = childLogin;

describe('crash safety', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-crash-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('should keep every acknowledged case through a kill -9 during a load of submissions', async () => {
    const form = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
    const data = { ...form.example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    let started = await startChild(dataDir);
    child = started.child;
    const cookie = await login(started.url, 'changzhou.applicant');
    const acknowledged: { id: string; no: string }[] = [];
    let killed = false;
    const submitOne = async () => {
      try {
        const res = await fetch(`${started.url}/api/v1/cases`, {
          method: 'POST', headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }),
        });
        if (res.status === 201) acknowledged.push(await res.json() as { id: string; no: string });
      } catch {
        // the connection died with the process: not acknowledged, a retry would submit again
      }
    };
    // 8 clients submit in a loop; the server is killed once 40 cases are acknowledged
    const clients = Array.from({ length: 8 }, async () => {
      while (!killed) await submitOne();
    });
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    killed = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    started = await startChild(dataDir);
    child = started.child;
    const hrss = await login(started.url, 'changzhou.hrss');
    const tasks = await (await fetch(`${started.url}/api/v1/tasks`, { headers: { cookie: hrss } })).json() as { caseNo: string; name: string }[];
    const admin = await login(started.url, 'changzhou.admin');
    for (const ack of acknowledged) {
      const res = await fetch(`${started.url}/api/v1/cases/${ack.id}`, { headers: { cookie: admin } });
      expect(res.status, `case ${ack.no}`).toBe(200);
      const view = await res.json() as { no: string; status: string; tasks: { name: string; state: string }[] };
      expect(view.no).toBe(ack.no);
      expect(view.status).toBe('in-progress');
      // not half-updated: the flow started and its first task is in the queue
      expect(view.tasks.map((t) => `${t.name}:${t.state}`)).toEqual(['企业职工退休审批:open']);
      expect(tasks.some((t) => t.caseNo === ack.no)).toBe(true);
    }
    // numbers are unique
    expect(new Set(acknowledged.map((a) => a.no)).size).toBe(acknowledged.length);
  }, 180_000);
});

describe('timers with two server processes on one database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-timers-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('should fire each due timer exactly once', async () => {
    // the first process owns the embedded database; the second connects to it through the lock file
    const a = await startChild(dataDir);
    children.push(a.child);
    const b = await startChild(dataDir);
    children.push(b.child);
    const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
    const admin = await login(a.url, 'luan.admin');
    expect((await api(a.url, admin, 'PUT', '/admin/forms/mini-form', { title: '小申请表', schema: JSON.parse(fixture('mini-form.json')) })).status).toBe(200);
    expect((await api(a.url, admin, 'PUT', '/admin/flows/mini-flow', { title: '超时升级', xml: fixture('timer.bpmn').replaceAll('PT1H', 'PT1S') })).status).toBe(200);
    expect((await api(a.url, admin, 'PUT', '/admin/matters/mini', {
      title: '小事项', forms: [{ key: 'mini-form' }], flow: 'mini-flow',
      linkedItems: [{ key: 'retirement-approval', title: '退休审批', department: 'hrss', mandatory: true }, { key: 'housing-fund-withdrawal', title: '公积金提取', department: 'housing-fund' }],
    })).status).toBe(200);
    expect((await api(a.url, admin, 'POST', '/admin/matters/mini/publish')).status).toBe(200);
    // cases submitted through both processes
    const ids: string[] = [];
    for (const [i, url] of [a.url, b.url, a.url, b.url, a.url, b.url].entries()) {
      const cookie = await login(url, 'luan.applicant');
      const res = await api(url, cookie, 'POST', '/cases', { matter: 'mini', form: 'mini-form', data: { name: `申请人${i}`, idNumber: '341502196501150039', housingFund: true } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    // both schedulers tick every few seconds; wait until every case has escalated
    const hrss = await login(b.url, 'luan.hrss');
    const deadline = Date.now() + 60_000;
    let views: any[] = [];
    while (Date.now() < deadline) {
      views = await Promise.all(ids.map(async (id) => (await api(b.url, hrss, 'GET', `/cases/${id}`)).body));
      if (views.every((v) => v.tasks?.some((t: { name: string }) => t.name === '超时督办'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const v of views) {
      expect(v.tasks.map((t: { name: string; state: string }) => `${t.name}:${t.state}`)).toEqual(['退休审批:cancelled', '超时督办:open']);
      expect(v.timeline.filter((t: { action: string }) => t.action === 'timer.fired')).toHaveLength(1);
    }
  }, 120_000);
});
