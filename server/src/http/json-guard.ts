/**
 * Every JSON body, before any route sees it: at most `MAX_JSON_DEPTH` levels of nesting, and no
 * key a document may not hold or that a query would take for an operator — a NUL anywhere in a
 * key, or a leading `$`. Either answers 400 `invalid-json` (a 3,000-level body or a NUL key used
 * to reach the database or ajv and answer 500). Walked without recursion, so the check itself
 * cannot overflow the stack.
 */
import type { Context, Next } from 'koa';
import { ApiError } from './errors';

export const MAX_JSON_DEPTH = 64;

/** Why `body` is refused (Chinese), or null when it is fine. */
export function jsonProblem(body: unknown): string | null {
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return `请求内容嵌套过深（最多 ${MAX_JSON_DEPTH} 层）`;
    if (Array.isArray(value)) {
      for (const v of value) stack.push([v, depth + 1]);
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\0') || k.startsWith('$')) return '请求中有不允许的字段名（不得含空字符或以 $ 开头）';
      stack.push([v, depth + 1]);
    }
  }
  return null;
}

/** Koa middleware after the body parser: 400 `invalid-json` for a body `jsonProblem` refuses. */
export async function jsonGuard(ctx: Context, next: Next): Promise<void> {
  const body = (ctx.request as { body?: unknown }).body;
  if (body !== null && typeof body === 'object') {
    const problem = jsonProblem(body);
    if (problem) throw new ApiError(400, 'invalid-json', problem);
  }
  await next();
}
