/**
 * Structured logs: one JSON object per line on stdout (pino), for a log shipper to collect.
 * `LIANBAN_LOG_LEVEL` (`info` default; `silent` under vitest unless set) chooses how much.
 * Every line written while a request is handled carries its `requestId` (http/request-context.ts).
 *
 *   import { log } from './log';
 *   log.warn({ caseId }, 'timer fired late');
 */
import pino, { type Logger } from 'pino';
import { currentRequestId } from './http/request-context';

function defaultLevel(env: NodeJS.ProcessEnv): string {
  if (env.LIANBAN_LOG_LEVEL) return env.LIANBAN_LOG_LEVEL;
  return env.VITEST ? 'silent' : 'info';
}

/** A logger writing JSON lines to `destination` (stdout by default) at `level`. */
export function createLogger(level = defaultLevel(process.env), destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'lianban' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // The request's id on every line logged inside it.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  }, destination);
}

/** The process's logger. */
export const log: Logger = createLogger();
