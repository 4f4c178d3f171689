import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

describe('demo mode', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
  });
  afterAll(async () => { await s?.close(); });

  it('should publish the shipped matters and list each to its own city', async () => {
    for (const city of loadTemplates().cities) {
      const agent = await s.login(`${city.key}.applicant`);
      const res = await agent.get('/api/v1/matters').expect(200);
      expect(res.body.map((m: { key: string }) => m.key).sort()).toEqual(city.matters.map((m) => m.key).sort());
      for (const m of res.body) expect(m.version).toBe(1);
    }
  });

  it('should accept the example submission of every application form through POST /cases', async () => {
    for (const city of loadTemplates().cities) {
      const agent = await s.login(`${city.key}.applicant`);
      for (const matter of city.matters) {
        // The first form of a matter is its application form; later ones may be task forms.
        const form = city.forms.find((f) => f.key === matter.forms[0]!.key)!;
        const res = await agent.post('/api/v1/cases').send({ matter: matter.key, form: form.key, data: form.example });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body.no).toMatch(city.key === 'luan' ? /^LA/ : /^CZ/);
      }
    }
  });
});
