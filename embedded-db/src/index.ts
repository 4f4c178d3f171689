/**
 * @lianban/embedded-db — the Lianban embedded MongoDB-compatible server, what runs when no MongoDB
 * is available. A workspace of its own: it imports no application code (lint-enforced).
 *
 *   import { startEmbeddedServer } from '@lianban/embedded-db';
 *   const db = await startEmbeddedServer({ dbpath: './data', port: 0 });
 *   await mongoose.connect(db.uri);          // the real driver, over TCP; db.uri carries the credentials (SCRAM-SHA-256)
 *   await db.close();
 *
 * Layout: `wire/` (framing, OP_MSG/OP_QUERY) · `engine.ts` (sessions, transactions, retryable
 * writes, journaling per command) · `commands/` (one file per command family) · `storage/`
 * (collections, MVCC versions, indexes, planner, journal, snapshots, lock) · `txn/`
 * (transactions, sessions, the per-command view). What it supports: README.md.
 */
export { startEmbeddedServer, type EmbeddedOptions, type EmbeddedServer } from './server';
export { DataDirLockedError } from './storage/lockfile';
// The credentials: a random secret in `<dbpath>/lianban-db.key`; a process connecting to another owner's database reads it there.
export { DB_USER, KEY_FILE, keyFilePath, readCredentials, redactUri, uriWithCredentials, type Credentials } from './auth/credentials';
export { DataDirDamagedError, DurableStore, type CompactionStep, type DurableOptions, type RecoveryReport } from './storage/durable';
export { MAX_WIRE_VERSION, VERSION } from './commands/admin';
export { crc32c } from './wire/crc32c';
export { sweepTtl } from './ttl';
// The in-process store beneath the wire protocol: the baseline of the benchmarks, and what the planner tests drive.
export { Store } from './storage/store';
export { Transactions } from './txn/transaction';
export { DataView } from './txn/view';
export { candidates } from './storage/planner';
// Compiled filters, cached by shape (values bound at run time) or by value: what every find uses (storage/matcher.ts).
export { compileFilter, clearMatcherCaches, matcherCacheSizes, type Matcher } from './storage/matcher';
// Applying one update to one document (what update and findAndModify do), and its mingo-free path for top-level $set/$unset/$inc/$push.
export { applyUpdate, topLevelUpdate } from './commands/update-doc';
// Inclusion projections with dotted paths, answered without mingo (commands/read.ts).
export { inclusionTree, projectTree } from './commands/read';
// The driver's countDocuments answered as a count, nothing copied out of the store (commands/aggregate.ts).
export { aggregateCounts } from './commands/aggregate';
// Stored documents serialised once: the journal's bytes reused in replies (storage/bson-bytes.ts), and the record framing.
export { bytesCacheStats, clearBytesCache, serializeSpliced, serializeStored } from './storage/bson-bytes';
export { decodeRecords, encodeRecord } from './storage/records';
// Cold documents kept as their BSON bytes, off the JavaScript heap, until read again (storage/collection.ts).
export { freezeCounts, nextFreezeEpoch } from './storage/collection';
