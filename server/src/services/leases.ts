/**
 * Work that one process of several on one database does once: the first to take the named
 * lease does it, the others wait until it is marked done (and take it over if its holder died
 * before finishing, once the lease has run out).
 *
 *   const seeded = await runOnce(models, 'demo-seed', async (recovering) => { … return true; });
 */
import crypto from 'node:crypto';
import { trusted } from 'mongoose';
import type { Models } from '../models';

export interface RunOnceOptions {
  /** How long a holder may take before another process takes the work over (default 2 min). */
  leaseMs?: number;
  /** How often a waiting process looks again (default 200 ms). */
  pollMs?: number;
  /** Give up waiting after this long (default 5 min). */
  timeoutMs?: number;
  owner?: string;
}

/**
 * Runs `work` in this process unless another process does or did it. `work` gets `recovering`:
 * true when an earlier holder died before finishing. Resolves with `work`'s result, or
 * `undefined` when another process did it.
 */
export async function runOnce<T>(models: Models, name: string, work: (recovering: boolean) => Promise<T>, opts: RunOnceOptions = {}): Promise<T | undefined> {
  const owner = opts.owner ?? `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 120_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  for (;;) {
    const now = new Date();
    let taken: boolean;
    let recovering = false;
    try {
      await models.Lease.create({ _id: name, owner, until: new Date(now.getTime() + leaseMs), doneAt: null });
      taken = true;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // It exists: take it over only if it is unfinished and ran out (its holder died).
      const res = await models.Lease.updateOne(
        { _id: name, doneAt: null, until: trusted({ $lt: now }) },
        { $set: { owner, until: new Date(now.getTime() + leaseMs) } },
      );
      taken = recovering = res.modifiedCount === 1;
    }
    if (taken) {
      try {
        const result = await work(recovering);
        await models.Lease.updateOne({ _id: name, owner }, { $set: { doneAt: new Date() } });
        return result;
      } catch (err) {
        // Let another process (or a later start) try again at once.
        await models.Lease.updateOne({ _id: name, owner }, { $set: { until: new Date(0) } }).catch(() => {});
        throw err;
      }
    }
    const current = await models.Lease.findById(name).lean();
    if (current?.doneAt) return undefined;
    if (Date.now() > deadline) throw new Error(`等待其他进程完成「${name}」超时 / timed out waiting for another process to finish "${name}" (held by ${current?.owner})`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
}
