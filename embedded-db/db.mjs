/**
 * `npm run db -- --port 27017 --dbpath ./data [--print-uri]`: the embedded database alone, run
 * from its esbuild bundle (`build.mjs`; built here first when absent or older than the sources)
 * by plain `node`. The arguments go to `src/cli.ts` unchanged. `npm run db:dev` runs the sources
 * through tsx instead.
 */
import { pathToFileURL } from 'node:url';
import { dbBundle } from './build.mjs';

await import(pathToFileURL(await dbBundle()).href);
