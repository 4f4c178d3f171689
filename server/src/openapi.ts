/**
 * The OpenAPI 3.1 description served at `GET /api/v1/openapi.json`, printed from the route
 * table (`routes/index.ts`): each operation with who may call it (`x-roles`, the description),
 * its request body — the very schema the route enforces (http/validate.ts) — and the contract
 * type of its answer (`x-contract-type`, `@lianban/runtime/contract`).
 */
import { ACCESS, type Who } from '@lianban/runtime/contract';
import { requestSchemas } from './http/validate';
import { openApiPath, type RouteInfo } from './http/route-table';
import { API_ROUTES } from './routes/index';

export { openApiPath };

/** `[method, koa path, summary, who, request body schema name?]` of every operation (tests walk it). */
export const OPERATIONS: [string, string, string, Who, string?][] = API_ROUTES.map((r) => [r.method, r.path, r.summary, r.who, r.body]);

const ERROR = {
  type: 'object', required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string', description: '中文说明' } }, additionalProperties: true } },
};

/** One operation object. */
function operation(route: RouteInfo): Record<string, unknown> {
  const { roles, narrowed } = ACCESS[route.who];
  const params: Record<string, unknown>[] = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  params.push(...(route.parameters ?? []));
  const systemOnly = roles.length === 1 && roles[0] === 'department-system';
  return {
    summary: route.summary,
    description: `调用方：${route.who}${narrowed ? `（${narrowed}）` : ''}`,
    'x-roles': [...roles],
    ...(params.length ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } } } } : {}),
    ...(roles.includes('anyone') ? { security: [] } : systemOnly ? { security: [{ apiKey: [] }] } : {}),
    responses: {
      [route.status ?? 200]: { description: '成功', ...(route.answer ? { 'x-contract-type': route.answer } : {}) },
      default: { description: '错误（4xx/5xx）', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
}

/** The document (build it once: it does not change while the server runs). */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: '联办 Lianban API', version: '1', description: '一件事一次办：事项、办件与待办。错误统一为 {error:{code,message}}。' },
    servers: [{ url: '/api/v1' }],
    security: [{ session: [] }, { apiKey: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'lianban_sid' },
        apiKey: { type: 'http', scheme: 'bearer', description: '部门系统的 API 密钥' },
      },
      schemas: { Error: ERROR, ...Object.fromEntries(requestSchemas) },
    },
    paths,
  };
}
