/**
 * `npm run db -- --port 27017 --dbpath ./data [--host 127.0.0.1] [--freeze-after-ms 0] [--print-uri]`: the embedded
 * server alone, so mongosh, a second platform process or other programs can connect by URI.
 * Connections must authenticate (SCRAM-SHA-256, user `lianban`); the password is the content of
 * `<dbpath>/lianban-db.key`. `--print-uri` prints the full connection string, secret included.
 */
import { parseArgs } from 'node:util';
import { redactUri } from './auth/credentials';
import { startEmbeddedServer } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    dbpath: { type: 'string', default: process.env.LIANBAN_DATA_DIR || './data' },
    host: { type: 'string', default: '127.0.0.1' },
    replSet: { type: 'string', default: 'lianban' },
    'print-uri': { type: 'boolean', default: false },
    // documents untouched this long are kept as bytes until read again (0: never; README "Cold documents as bytes")
    'freeze-after-ms': { type: 'string', default: process.env.LIANBAN_DB_FREEZE_AFTER_MS || '0' },
  },
});
const freezeAfterMs = Number(values['freeze-after-ms']);
if (!Number.isInteger(freezeAfterMs) || freezeAfterMs < 0) {
  console.error(`lianban-db: --freeze-after-ms must be a whole number of milliseconds ≥ 0 (0: never), not ${JSON.stringify(values['freeze-after-ms'])}`);
  process.exit(1);
}

try {
  const server = await startEmbeddedServer({ port: Number(values.port), dbpath: values.dbpath!, host: values.host, setName: values.replSet, freezeAfterMs });
  const r = server.recovery;
  console.log(`lianban-db listening on ${server.host}:${server.port} (data: ${server.dbpath}; generation ${r.generation}, ${r.journalRecords} journal records replayed${r.droppedBytes ? `, ${r.droppedBytes} torn bytes dropped` : ''})`);
  if (r.damagedSnapshots.length) console.warn(`lianban-db: damaged snapshot set aside (${r.damagedSnapshots.join(', ')}); every commit was rebuilt from snapshot ${r.snapshotGeneration || 'none'} and the journals after it`);
  if (values['print-uri']) console.log(`  URI: ${server.uri}`);
  else {
    console.log(`  URI: ${redactUri(server.uri)}`);
    console.log(`  凭据在 ${server.keyFile}（密码即文件内容）/ the password is the content of ${server.keyFile}; --print-uri prints the full connection string (e.g. for mongosh)`);
  }
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      server.close().then(() => process.exit(0));
    });
  }
} catch (err) {
  console.error(`lianban-db: ${(err as Error).message}`);
  process.exit(1);
}
