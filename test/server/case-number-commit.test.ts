/**
 * Issue #24: a submission is ONE commit — the case number's `$inc`, the case and its side
 * documents (audit record, notifications, timers, outbox) in one transaction
 * (services/case-number-commit.ts); submissions waiting together share it; a refused one takes
 * no number; two processes on one counter never give a number twice (and once they have met
 * there, take their numbers before their transactions for a while).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { loadCity } from '@lianban/templates';
import { commitNumbered, createModels, numberedCommitCounts, seedDemoTemplates, type Models } from '@lianban/server';
import { startTestServer, type TestServer } from './helpers';

const chinaDay = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
const noEffects = () => ({ id: new mongoose.Types.ObjectId().toHexString(), at: new Date(), outbox: [], timers: [], cancelTimers: [], notifications: [], audit: [] });

describe('a submission in one commit (#24)', () => {
  let s: TestServer;
  const commands: { name: string; collection: string }[] = [];
  const example = loadCity('changzhou').forms.find((f) => f.key === 'changzhou-retirement')!.example as Record<string, unknown>;
  const data = { ...example, hasOnlyChildCertificate: false, onlyChildCertificateFile: undefined };

  beforeAll(async () => {
    s = await startTestServer();
    await seedDemoTemplates(s.models);
    s.db.connection!.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
      const target = e.command[e.commandName];
      commands.push({ name: e.commandName, collection: typeof target === 'string' ? target : '' });
    });
  });
  afterAll(async () => { await s?.close(); });

  it('should take the number, store the case, its audit record and notice in one transaction, and leave nothing pending', async () => {
    const applicant = await s.login('changzhou.applicant');
    const submit = () => applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201);
    await submit(); // warm caches
    await new Promise((r) => setTimeout(r, 300));
    commands.length = 0;
    const { body } = await submit();
    await new Promise((r) => setTimeout(r, 300));
    const seen = commands.filter((c) => c.collection !== 'matter_versions' && c.collection !== 'departments').map((c) => `${c.name} ${c.collection}`.trim());
    // one commit; the counter first (it starts the transaction), no case update afterwards (no `pending` to clear)
    expect(seen.filter((c) => c === 'commitTransaction'), seen.join(', ')).toHaveLength(1);
    expect(seen[0]).toBe('findAndModify counters');
    expect(seen).toContain('insert cases');
    expect(seen.filter((c) => c.startsWith('update')), seen.join(', ')).toEqual([]);
    const stored = await s.models.Case.findById(body.id).lean();
    expect(stored!.no).toBe(body.no);
    expect(stored!.pending).toBeUndefined();
    expect(await s.models.Audit.countDocuments({ action: 'case.submit', target: `case:${body.no}` })).toBe(1);
    expect(await s.models.Notification.countDocuments({ kind: 'accepted', caseId: body.id })).toBe(1);
  });

  it('should let submissions waiting together share a transaction, numbered without gaps', async () => {
    const applicant = await s.login('changzhou.applicant');
    const before = { ...numberedCommitCounts };
    const answers = await Promise.all(Array.from({ length: 12 }, () => applicant.post('/api/v1/cases').send({ matter: 'changzhou-retirement', form: 'changzhou-retirement', data }).expect(201)));
    const transactions = numberedCommitCounts.transactions - before.transactions;
    expect(numberedCommitCounts.submissions - before.submissions).toBe(12);
    expect(transactions).toBeLessThan(12);
    const seqs = answers.map((a) => Number(String(a.body.no).slice(-4))).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0]!).toBe(11); // 12 consecutive numbers
    for (const a of answers) {
      expect(await s.models.Audit.countDocuments({ action: 'case.submit', target: `case:${a.body.no}` }), a.body.no).toBe(1);
      expect(await s.models.Notification.countDocuments({ kind: 'accepted', caseId: a.body.id }), a.body.no).toBe(1);
    }
  });

  /** A submission of `tenant` through `models` that stores a bare case (the module's contract: build writes nothing). */
  const bare = (models: Models, conn: mongoose.Connection, tenant: string, refuse = false) => commitNumbered(models, conn, tenant, new Date(), { key: 'bare' }, async (no) => {
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    if (refuse) throw new Error('refused');
    return { write: { insert: { _id: new mongoose.Types.ObjectId(), tenant, no, status: 'submitted' }, effects: noEffects() }, value: no };
  });

  it('should give a refused submission no number: the others of its batch are numbered without a gap', async () => {
    const conn = s.db.connection!;
    const results = await Promise.allSettled(Array.from({ length: 9 }, (_, i) => bare(s.models, conn, 'gap-city', i % 3 === 1)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
    const nos = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.no] : [])).sort();
    expect(nos).toEqual(Array.from({ length: 6 }, (_, i) => `GA${chinaDay()}${String(i + 1).padStart(4, '0')}`));
    expect(await s.models.Case.countDocuments({ tenant: 'gap-city' })).toBe(6);
  });

  it('should never give a number twice when two processes take numbers of one counter at once (conflicts retried)', async () => {
    // a second "process": its own models (its own queues) on its own connection object
    const other = s.db.connection!.useDb(s.db.connection!.name, { useCache: false });
    const otherModels = createModels(other);
    const before = numberedCommitCounts.conflicts;
    const runs = Array.from({ length: 40 }, (_, i) => (i % 2 ? bare(s.models, s.db.connection!, 'twin-city') : bare(otherModels, other, 'twin-city')));
    const nos = (await Promise.all(runs)).map((r) => r.no).sort();
    expect(new Set(nos).size).toBe(40);
    expect(nos).toEqual(Array.from({ length: 40 }, (_, i) => `TW${chinaDay()}${String(i + 1).padStart(4, '0')}`));
    expect(await s.models.Case.countDocuments({ tenant: 'twin-city' })).toBe(40);
    // the two queues met on the counter at least once (each batch holds it from its $inc to its commit)
    expect(numberedCommitCounts.conflicts).toBeGreaterThan(before);

    // then the counter is contended for a while: both take their numbers before their transactions,
    // so they no longer meet there; a refused submission's number stays unused, the others commit
    const first = numberedCommitCounts.numberedFirst;
    const more = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? bare(s.models, s.db.connection!, 'twin-city', i === 3) : bare(otherModels, other, 'twin-city'))));
    expect(numberedCommitCounts.numberedFirst).toBeGreaterThan(first);
    expect(more.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const later = more.flatMap((r) => (r.status === 'fulfilled' ? [r.value.no] : []));
    expect(new Set([...nos, ...later]).size).toBe(47);
    expect(later.every((n) => n > nos.at(-1)! && n <= `TW${chinaDay()}0048`)).toBe(true);
    expect(await s.models.Case.countDocuments({ tenant: 'twin-city' })).toBe(47);
  });
});
