/** `npm start` / `npm run serve`: start the platform and print where it is. */
import path from 'node:path';
import { keyFilePath, redactUri } from '@lianban/embedded-db';
import { configFromEnv } from './config';
import { startServer } from './server';

const config = configFromEnv();
const server = await startServer(config);
console.log(`联办 Lianban 已启动 / started: ${server.url}`);
console.log(`  申请人门户 / portal:   ${server.url}/`);
console.log(`  设计器 / designer:     ${server.url}/designer/`);
console.log(`  API 健康检查 / health: ${server.url}/api/v1/health`);
const dbKey = server.db.mode === 'embedded-compatible' ? `，凭据在 / credentials in ${keyFilePath(path.resolve(config.dataDir))}` : '';
console.log(`  数据库 / database:     ${server.db.mode ?? '不可用 / unavailable — ' + server.db.problem}${server.db.uri ? `  (${redactUri(server.db.uri)}${dbKey})` : ''}`);
for (const note of server.db.notes ?? []) console.log(`    · ${note}`);
if (server.demo) {
  // Without LIANBAN_DEMO_PASSWORD the seed's password is random and shown only by the start that seeded.
  const shown = config.demoPassword ? '（LIANBAN_DEMO_PASSWORD）' : server.demoPassword ?? '（随机生成，见首次启动时的输出；或设置 LIANBAN_DEMO_PASSWORD / random, printed by the first start）';
  console.log(`  演示模式 / demo mode${server.demoSeeded ? '（演示数据已写入 / seeded）' : ''}: 账户 luan.admin、luan.applicant、changzhou.hrss…、platform.operator（平台运营：/designer/cities） 密码 / password: ${shown}`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${signal}，正在停止… / stopping…`);
    const started = Date.now();
    await server.close();
    console.log(`已停止 / stopped (${Date.now() - started} ms)`);
    process.exit(0);
  });
}
