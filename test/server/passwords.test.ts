import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordProblem, seedDemoAccounts } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';
import { waitForOutput } from './child-server';

describe('password policy (等保 2.0)', () => {
  it('should want 10 characters from 3 of 4 classes, not containing the username', () => {
    expect(passwordProblem('Str0ng-pass', 'luan.x')).toBeNull();
    expect(passwordProblem('Sh0rt-pw', 'luan.x')).toMatch(/10/);
    expect(passwordProblem('alllowercase1', 'luan.x')).toMatch(/三类/);
    expect(passwordProblem('ALLUPPER-ONLY', 'luan.x')).toMatch(/三类/);
    expect(passwordProblem('Luan.Window-2026', 'luan.window')).toMatch(/用户名/);
  });

  it('should refuse to seed demo accounts with a password outside the policy', async () => {
    const s = await startTestServer({ seed: false });
    try {
      await expect(seedDemoAccounts(s.models, 'Lianban2026')).resolves.toBeDefined();
      await expect(seedDemoAccounts(s.models, 'lianban2026')).rejects.toThrow(/password policy/);
    } finally {
      await s.close();
    }
  });
});

describe('accounts: weak passwords and the last administrator', () => {
  let s: TestServer;
  let admin: Awaited<ReturnType<TestServer['login']>>;
  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('luan.admin');
  });
  afterAll(async () => { await s?.close(); });

  it('should refuse weak passwords on create, change and reset, in Chinese on `password`', async () => {
    for (const password of ['Sh0rt-pw', 'onlylowercase', 'lowercase-and-symbols', 'Luan.Newbie-2026']) {
      const res = await admin.post('/api/v1/admin/users').send({ username: 'luan.newbie', password, roles: ['staff'], departments: ['hrss'] }).expect(422);
      expect(res.body.error.errors[0].path, password).toBe('password');
      expect(res.body.error.errors[0].message, password).toMatch(/[\u4e00-\u9fa5]/);
    }
    await admin.post('/api/v1/admin/users').send({ username: 'luan.newbie', password: 'Str0ng-pass', roles: ['staff'], departments: ['hrss'] }).expect(201);
    const reset = await admin.put('/api/v1/admin/users/luan.newbie').send({ password: 'weakweakweak' }).expect(422);
    expect(reset.body.error.errors[0]).toEqual({ path: 'password', message: '密码须包含小写字母、大写字母、数字、符号中的至少三类' });
    await admin.put('/api/v1/admin/users/luan.newbie').send({ password: 'prefix-LUAN.NEWBIE-1' }).expect(422);
    await admin.put('/api/v1/admin/users/luan.newbie').send({ password: 'Another-Str0ng' }).expect(200);
    await s.login('luan.newbie', 'Another-Str0ng');
  });

  it('should not let the last administrator of a city be disabled or demoted', async () => {
    const disable = await admin.put('/api/v1/admin/users/luan.admin').send({ disabled: true }).expect(409);
    expect(disable.body.error).toMatchObject({ code: 'last-admin' });
    expect(disable.body.error.message).toMatch(/最后一个管理员/);
    const demote = await admin.put('/api/v1/admin/users/luan.admin').send({ roles: ['staff'] }).expect(409);
    expect(demote.body.error.code).toBe('last-admin');
    await admin.get('/api/v1/me').expect(200);
    // with a second administrator, either may go
    await admin.put('/api/v1/admin/users/luan.newbie').send({ roles: ['admin', 'staff'] }).expect(200);
    await admin.put('/api/v1/admin/users/luan.newbie').send({ disabled: true }).expect(200);
    await admin.put('/api/v1/admin/users/luan.admin').send({ roles: ['staff'] }).expect(409);
    await admin.put('/api/v1/admin/users/luan.newbie').send({ disabled: false }).expect(200);
    await admin.put('/api/v1/admin/users/luan.newbie').send({ roles: ['staff'] }).expect(200);
    // another city's last administrator is its own
    const cz = await s.login('changzhou.admin');
    await cz.put('/api/v1/admin/users/changzhou.admin').send({ disabled: true }).expect(409);
  });
});

describe('demo mode without LIANBAN_DEMO_PASSWORD', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianban-demo-pw-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('should generate a random password that satisfies the policy, print it, and seed it', async () => {
    const repo = path.resolve(import.meta.dirname, '../..');
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LIANBAN_DATA_DIR: dataDir, LIANBAN_DEMO: '1', LIANBAN_WEB_ROOT: '/nonexistent', MONGODB_URI: '' };
    delete env.LIANBAN_DEMO_PASSWORD;
    child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'server/src/main.ts')], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const m = await waitForOutput(child, /started: (http:\/\/\S+)[\s\S]*密码 \/ password: (\S+)\n/, 'server');
    const url = m[1]!.replace('localhost', '127.0.0.1');
    const password = m[2]!;
    expect(password).not.toBe('Lianban@2026');
    for (const username of ['luan.admin', 'changzhou.hrss']) expect(passwordProblem(password, username)).toBeNull();
    const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'luan.admin', password }) });
    expect(res.status).toBe(200);
  }, 90_000);
});
