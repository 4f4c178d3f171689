/** Types of `build.mjs` (plain JavaScript so that `npm run db` needs no tsx). */
export declare const DB_ENTRY: string;
export declare const DB_BUNDLE: string;
/** Whether `outfile` is missing or older than any of its inputs. */
export declare function isStale(outfile?: string): boolean;
/** Bundles the CLI into `outfile` (default `embedded-db/dist/cli.js`); resolves with its path. */
export declare function buildDb(outfile?: string): Promise<string>;
/** The bundle's path, built first if absent or stale. */
export declare function dbBundle(outfile?: string): Promise<string>;
