/**
 * `npm run db -- --port 27017 --dbpath ./data [--host 127.0.0.1]`: the embedded server alone,
 * so mongosh, a second platform process or other programs can connect by URI.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedServer } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    dbpath: { type: 'string', default: process.env.LIANBAN_DATA_DIR || './data' },
    host: { type: 'string', default: '127.0.0.1' },
    replSet: { type: 'string', default: 'lianban' },
  },
});

try {
  const server = await startEmbeddedServer({ port: Number(values.port), dbpath: values.dbpath!, host: values.host, setName: values.replSet });
  const r = server.recovery;
  console.log(`lianban-db listening on ${server.host}:${server.port} (data: ${server.dbpath}; generation ${r.generation}, ${r.journalRecords} journal records replayed${r.droppedBytes ? `, ${r.droppedBytes} torn bytes dropped` : ''})`);
  console.log(`  URI: ${server.uri}`);
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
