/**
 * ID-number masking, counted: what staff without the reveal right see of a real 常州 case — the
 * masked ID, and every field computed from it (birth month, gender, statutory age and month) —
 * must leave at least 1,000 ID numbers possible (GB 11643: region, birth date, sequence whose
 * parity is the gender, check digit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRealDate, makeResidentId, maskSensitiveData, runCompute, walkSchema, type FieldSchema } from '@lianban/runtime';
import { loadCity } from '@lianban/templates';
import { seedDemoTemplates } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

interface Derived { key: string; compute: string; from: Record<string, string> }

/**
 * Every 18-digit ID number consistent with `view`: the visible digits of the masked `idField`,
 * and the value of every field computed from it (recomputed for each candidate with the other
 * visible fields as arguments; a masked derived field constrains nothing).
 */
function candidates(view: Record<string, unknown>, schema: FieldSchema, idField: string): number {
  const masked = String(view[idField]);
  expect(masked).toHaveLength(18);
  const derived: Derived[] = walkSchema(schema).flatMap((n) => {
    const c = n.schema['x-compute'] as { compute: string; from: Record<string, string> } | undefined;
    return c && Object.values(c.from).includes(idField) && n.keyed ? [{ key: n.key, compute: c.compute, from: c.from }] : [];
  });
  expect(derived.map((d) => d.key).sort()).toEqual(['birthMonth', 'gender', 'statutoryAge', 'statutoryRetireMonth']);
  const fits = (at: number, digit: string) => masked[at] === '*' || masked[at] === digit;
  // the region as shown (a masked region digit is taken as the true one: a lower bound)
  const real = '320402196603121351';
  const region = [...masked.slice(0, 6)].map((c, i) => (c === '*' ? real[i] : c)).join('');
  let count = 0;
  for (let y = 1900; y <= 2026; y++) {
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= 31; d++) {
        if (!isRealDate(y, m, d)) continue;
        const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        if (![...date.replaceAll('-', '')].every((c, i) => fits(6 + i, c))) continue;
        for (const parity of [0, 1]) {
          // the derived fields depend on the birth date and the gender only
          const probe = makeResidentId(region, date, parity);
          const consistent = derived.every(({ key, compute, from }) => {
            const shown = view[key];
            if (shown === null || shown === undefined || (typeof shown === 'string' && shown.includes('*'))) return true;
            const args = Object.fromEntries(Object.entries(from).map(([param, field]) => [param, field === idField ? probe : view[field]]));
            return runCompute(compute, args) === shown;
          });
          if (!consistent) continue;
          for (let seq = parity; seq < 1000; seq += 2) {
            const id = makeResidentId(region, date, seq);
            if ([...id.slice(14)].every((c, i) => fits(14 + i, c))) count++;
          }
        }
      }
    }
  }
  return count;
}

describe('ID-number masking leaves ≥ 1,000 candidates', () => {
  let s: TestServer;
  const form = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!;
  const example = form.example as Record<string, unknown>;
  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
  });
  afterAll(async () => { await s?.close(); });

  it('should show staff a case whose visible fields together fit at least 1,000 ID numbers, and reveal the real one', async () => {
    const [applicant, hrss] = await Promise.all([s.login('changzhou.applicant'), s.login('changzhou.hrss')]);
    const data = { ...example, socializedManagement: false, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };
    const sub = await applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    const view = (await hrss.get(`/api/v1/cases/${sub.body.id}`).expect(200)).body;
    expect(view.masked).toBe(true);
    const real = example.idNumber as string;
    expect(real).toBe('320402196603121351');
    // staff still recognise the person: the name and the region
    expect(view.data.name).toBe(example.name);
    expect(view.data.idNumber.slice(0, 6)).toBe('320402');
    const n = candidates(view.data, form.schema as FieldSchema, 'idNumber');
    expect(n).toBeGreaterThanOrEqual(1000);
    // the lists show no data at all: neither the ID nor its birth date
    for (const list of [await hrss.get('/api/v1/cases').expect(200), await hrss.get('/api/v1/tasks?state=all').expect(200)]) {
      const text = JSON.stringify(list.body);
      expect(text).toContain(sub.body.no);
      expect(text).not.toContain('19660312');
      expect(text).not.toContain(real);
    }
    // the reveal route is unchanged: the whole number, audited
    const revealed = (await hrss.post(`/api/v1/cases/${sub.body.id}/reveal`).expect(200)).body;
    expect(revealed.data.idNumber).toBe(real);
  });

  it('should count about 3 candidates for the old mask (6 + 4 digits), so the count can tell', () => {
    const schema = form.schema as FieldSchema;
    const old = { ...example, idNumber: '320402********1351' };
    const n = candidates(old, schema, 'idNumber');
    expect(n).toBeGreaterThanOrEqual(1); // the real one fits: the derived fields were recomputed alike
    expect(n).toBeLessThan(10);
  });

  it('should show a full birth date computed from the ID to the month only', () => {
    const schema = {
      type: 'object',
      properties: {
        idNumber: { type: 'string', title: '公民身份号码', 'x-field-type': 'idNumber' },
        birthDate: { type: 'string', title: '出生日期', 'x-field-type': 'computed', 'x-compute': { compute: 'birthDateFromId', from: { id: 'idNumber' } } },
      },
    } as unknown as FieldSchema;
    expect(maskSensitiveData({ idNumber: '341502196501150039', birthDate: '1965-01-15' }, schema))
      .toEqual({ idNumber: '341502************', birthDate: '1965-01-**' });
  });
});
