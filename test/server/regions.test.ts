import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

describe('regions below the county', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer({ seed: false }); });
  afterAll(async () => { await s?.close(); });

  it('should list the streets of a county and the communities of a street', async () => {
    // 常州市天宁区 320402
    const streets = (await s.agent().get('/api/v1/regions/320402/children').expect(200)).body as { code: string; name: string }[];
    expect(streets.length).toBeGreaterThan(3);
    expect(streets.every((x) => x.code.startsWith('320402') && x.code.length === 9)).toBe(true);
    const communities = (await s.agent().get(`/api/v1/regions/${streets[0]!.code}/children`).expect(200)).body as { code: string; name: string }[];
    expect(communities.length).toBeGreaterThan(0);
    expect(communities.every((x) => x.code.startsWith(streets[0]!.code) && x.code.length === 12 && x.name.length > 0)).toBe(true);
  });

  it('should answer unknown codes with an empty list and malformed ones with 404', async () => {
    expect((await s.agent().get('/api/v1/regions/999999/children').expect(200)).body).toEqual([]);
    const bad = await s.agent().get('/api/v1/regions/32/children').expect(404);
    expect(bad.body.error.message).toMatch(/6 位/);
  });
});
