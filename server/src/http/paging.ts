/**
 * Paged lists (API.md "Lists"): `limit` (1–200, default 50) and an opaque `cursor`; when more
 * remain the answer carries `X-Next-Cursor` and the body stays an array. A cursor is the
 * base64url of the last item's sort key and id, so a page continues after that item whatever
 * was inserted meanwhile. A malformed cursor or a limit out of range answers 400.
 *
 *   const page = pageQuery(ctx, isThingCursor);                     // { limit, after? }
 *   const { items, next } = await listThings(models, user, page);
 *   ctx.body = sendPage(ctx, items, next);
 */
import type { Context } from 'koa';
import { ApiError } from './errors';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** A position in a list: the last item's sort key (numbers, strings or null) and its id, last. */
export type CursorKey = (string | number | null)[];

export interface PageQuery {
  limit: number;
  /** The sort key to continue after; undefined for the first page. */
  after?: CursorKey;
}

/** The OpenAPI parameters of a paged list. */
export const PAGE_PARAMETERS: Record<string, unknown>[] = [
  { name: 'limit', in: 'query', required: false, description: `每页条数（1–${MAX_LIMIT}，默认 ${DEFAULT_LIMIT}）`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
  { name: 'cursor', in: 'query', required: false, description: '上一页响应头 X-Next-Cursor 的值', schema: { type: 'string', maxLength: 1000 } },
];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function badCursor(): never {
  throw new ApiError(400, 'bad-cursor', '分页游标无效，请从第一页重新查询', { errors: [{ path: 'cursor', message: '格式不正确' }] });
}

export function decodeCursor(cursor: string): CursorKey {
  if (cursor.length === 0 || cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) badCursor();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    badCursor();
  }
  if (!Array.isArray(key) || key.length < 2 || key.length > 5) badCursor();
  if (!key.every((k) => k === null || typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))) badCursor();
  if (typeof key[key.length - 1] !== 'string') badCursor();
  return key as CursorKey;
}

/** `limit` and `cursor` of the query string; 400 when out of range or malformed (or not of the list's `shape`). */
export function pageQuery(ctx: Context, shape: (key: CursorKey) => boolean): PageQuery {
  const { limit: rawLimit, cursor } = ctx.query;
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== 'string' || !/^\d{1,4}$/.test(rawLimit) || +rawLimit < 1 || +rawLimit > MAX_LIMIT) {
      throw new ApiError(400, 'bad-limit', `limit 须为 1–${MAX_LIMIT} 的整数`, { errors: [{ path: 'limit', message: '超出范围' }] });
    }
    limit = +rawLimit;
  }
  if (cursor === undefined) return { limit };
  if (typeof cursor !== 'string') badCursor();
  const after = decodeCursor(cursor);
  if (!shape(after)) badCursor();
  return { limit, after };
}

/** Sets `X-Next-Cursor` when more remain; returns the items for the body. */
export function sendPage<T>(ctx: Context, items: T[], next: CursorKey | undefined): T[] {
  if (next) ctx.set('X-Next-Cursor', encodeCursor(next));
  return items;
}
