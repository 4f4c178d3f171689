/**
 * fast-check fuzzing of `POST /cases`: 10,000 malformed or mutated submissions. None may
 * produce a 5xx, and every case that was stored must pass the form's validator again.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import type { FieldSchema } from '@lianban/runtime';
import { compileValidator } from '@lianban/runtime/validate';
import { publishMini, startTestServer, type TestServer } from './helpers';

const schema = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'mini-form.json'), 'utf8')) as FieldSchema;
const valid = { name: '张三', idNumber: '341502196501150039', housingFund: true };
const RUNS = 10_000;

/** JSON values with the shapes attackers like: operators, prototype keys, deep nesting, long strings. */
const nasty = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1e308, '', '是', '否', '341502196501150038', '__proto__', '<script>alert(1)</script>', 'a'.repeat(5000)),
    fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('$gt', '$ne', '$where', '__proto__', 'constructor', 'prototype', 'name', 'idNumber', 'housingFund')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const payload = fc.oneof(
  // a valid submission with one field replaced or added
  fc.record({ key: fc.constantFrom('name', 'idNumber', 'housingFund', 'extra', '$set', '__proto__'), value: nasty })
    .map(({ key, value }) => ({ matter: 'mini', form: 'mini-form', data: { ...valid, [key]: value } })),
  // the envelope itself malformed
  fc.record({ matter: nasty, form: nasty, data: nasty }, { requiredKeys: [] }),
  fc.record({ matter: fc.constant('mini'), form: fc.constant('mini-form'), data: nasty, draft: fc.oneof(fc.boolean(), nasty) }, { requiredKeys: ['matter', 'form', 'data'] }),
  nasty,
);

describe('POST /cases under fuzzing', () => {
  let s: TestServer;
  let applicant: ReturnType<typeof request.agent>;
  beforeAll(async () => {
    s = await startTestServer();
    await publishMini(s);
    applicant = await s.login('luan.applicant');
  });
  afterAll(async () => { await s?.close(); });

  it(`should answer ${RUNS} malformed submissions without a 5xx and store nothing invalid`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(fc.asyncProperty(payload, async (body) => {
      const res = await applicant.post('/api/v1/cases').set('content-type', 'application/json').send(JSON.stringify(body));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      expect(res.body.error ?? res.body.id).toBeDefined();
    }), { numRuns: RUNS, seed: 20261121 });
    // mostly refusals, and every refusal carries a Chinese message
    expect((statuses.get(422) ?? 0) + (statuses.get(404) ?? 0)).toBeGreaterThan(RUNS / 2);
    const validator = compileValidator(schema, { key: 'fuzz-check' });
    const stored = (await s.models.Case.find({}).lean()).filter((d) => d.status !== 'draft');
    for (const doc of stored) expect(validator.validate(doc.data).errors, JSON.stringify(doc.data)).toEqual([]);
  }, 600_000);
});
