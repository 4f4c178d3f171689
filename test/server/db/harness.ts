/**
 * The database under test: `MONGODB_URI` when set (each file gets its own database, dropped
 * afterwards), otherwise a fresh embedded server in a temporary directory. Every command the
 * driver sends is recorded through command monitoring and checked against the committed
 * fixture `fixtures/driver-commands.json`, so a driver upgrade that sends new commands shows up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedServer, type EmbeddedServer } from '@lianban/embedded-db';

export const knownCommands: string[] = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'driver-commands.json'), 'utf8')).commands;

export interface TestDb {
  uri: string;
  dbName: string;
  /** Set when the embedded server is under test. */
  embedded?: EmbeddedServer;
  client: MongoClient;
  /** A mongoose connection to the same database (monitored too). */
  mongoose(): Promise<mongoose.Connection>;
  /** Command names the driver sent so far (this file). */
  sent: Set<string>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'lianban-db-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function openTestDb(name: string): Promise<TestDb> {
  const sent = new Set<string>();
  const record = (client: MongoClient) => client.on('commandStarted', (e) => sent.add(e.commandName));
  let embedded: EmbeddedServer | undefined;
  let dir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dir = tempDir();
    embedded = await startEmbeddedServer({ dbpath: dir, port: 0 });
    // Server-side too: this also sees the handshake and monitoring (hello/isMaster) and endSessions.
    embedded.engine.onCommand = (name) => sent.add(name);
    uri = embedded.uri;
  }
  const dbName = `lbtest_${name}_${process.pid}`;
  const client = new MongoClient(uri, { monitorCommands: true, serverSelectionTimeoutMS: 5000 });
  record(client);
  await client.connect();
  const conns: mongoose.Connection[] = [];
  return {
    uri,
    dbName,
    embedded,
    client,
    sent,
    async mongoose() {
      const conn = mongoose.createConnection(uri, { dbName, monitorCommands: true, serverSelectionTimeoutMS: 5000 });
      record(conn.getClient() as unknown as MongoClient);
      await conn.asPromise();
      conns.push(conn);
      return conn;
    },
    async close() {
      if (!embedded) await client.db(dbName).dropDatabase();
      for (const c of conns) await c.close();
      await client.close();
      await embedded?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Commands sent that the fixture does not list. With LIANBAN_RECORD_DRIVER_COMMANDS=<file>,
 * the names are also appended to that file (to review and update the fixture deliberately).
 */
export function unknownCommands(sent: Set<string>): string[] {
  const out = process.env.LIANBAN_RECORD_DRIVER_COMMANDS;
  if (out) fs.appendFileSync(out, [...sent].join('\n') + '\n');
  return [...sent].filter((c) => !knownCommands.includes(c)).sort();
}
