/**
 * The OpenAPI 3.1 description served at `GET /api/v1/openapi.json`. Operations are listed here
 * once, with who may call them; request bodies are the very schemas the routes enforce
 * (http/validate.ts). A test checks this list against the router, so a route cannot be added
 * without describing it.
 */
import { requestSchemas } from './http/validate';
import { IDEMPOTENCY_KEY_PATTERN } from './routes/cases';

type Who = 'anyone' | 'signed-in' | 'admin' | 'applicant' | 'staff' | 'owner/staff/admin' | 'department-system' | 'staff/applicant/department-system';

/** `[method, koa path, summary, who, request body schema name?]` */
export const OPERATIONS: [string, string, string, Who, string?][] = [
  ['get', '/health', '健康检查与数据库模式', 'anyone'],
  ['get', '/openapi.json', '本文档', 'anyone'],
  ['post', '/auth/login', '登录', 'anyone', 'Login'],
  ['post', '/auth/logout', '退出登录', 'signed-in'],
  ['get', '/me', '当前用户', 'signed-in'],
  ['get', '/admin/departments', '本市部门', 'admin'],
  ['post', '/admin/departments', '新增部门', 'admin', 'Department'],
  ['put', '/admin/departments/:key', '修改部门', 'admin', 'DepartmentUpdate'],
  ['get', '/admin/users', '本市账户', 'admin'],
  ['post', '/admin/users', '新增账户', 'admin', 'User'],
  ['put', '/admin/users/:username', '修改账户', 'admin', 'UserUpdate'],
  ['get', '/admin/api-keys', '部门 API 密钥', 'admin'],
  ['post', '/admin/api-keys', '签发部门 API 密钥（仅显示一次）', 'admin', 'ApiKeyRequest'],
  ['post', '/admin/api-keys/:id/revoke', '吊销 API 密钥', 'admin'],
  ['get', '/admin/forms', '表单列表', 'admin'],
  ['get', '/admin/flows', '流程列表', 'admin'],
  ['get', '/admin/matters', '事项列表', 'admin'],
  ['get', '/admin/forms/:key', '表单草稿与已发布版本', 'admin'],
  ['put', '/admin/forms/:key', '保存表单草稿', 'admin', 'FormDraft'],
  ['get', '/admin/flows/:key', '流程草稿与已发布版本', 'admin'],
  ['put', '/admin/flows/:key', '保存流程草稿', 'admin', 'FlowDraft'],
  ['get', '/admin/matters/:key', '事项草稿与已发布版本', 'admin'],
  ['put', '/admin/matters/:key', '保存事项草稿', 'admin', 'MatterDraft'],
  ['post', '/admin/matters/:key/publish', '检查并发布事项', 'admin'],
  ['get', '/matters', '本市已发布事项', 'signed-in'],
  ['get', '/matters/:key', '已发布事项（含表单与流程）', 'signed-in'],
  ['post', '/cases', '提交申请（或保存草稿）', 'applicant', 'CaseSubmission'],
  ['get', '/cases', '办件列表', 'signed-in'],
  ['get', '/cases/:id', '办件详情（身份证号对工作人员脱敏）', 'owner/staff/admin'],
  ['put', '/cases/:id', '修改草稿', 'applicant', 'Draft'],
  ['post', '/cases/:id/submit', '提交草稿', 'applicant'],
  ['post', '/cases/:id/reveal', '查看完整信息（记入审计）', 'staff'],
  ['get', '/cases/:id/flow', '办件流程图与进度', 'owner/staff/admin'],
  ['post', '/cases/:id/attachments', '上传材料（multipart/form-data：file、material）', 'applicant'],
  ['get', '/attachments/:id', '下载材料', 'owner/staff/admin'],
  ['get', '/notifications', '我的通知', 'signed-in'],
  ['post', '/notifications/:id/read', '标为已读', 'signed-in'],
  ['get', '/tasks', '待办（工作人员：本部门；申请人：本人）', 'signed-in'],
  ['post', '/tasks/:id/claim', '认领待办', 'staff'],
  ['post', '/tasks/:id/unclaim', '释放待办', 'staff'],
  ['post', '/tasks/:id/complete', '办理待办', 'staff/applicant/department-system', 'TaskCompletion'],
  ['post', '/messages', '部门系统反馈办理结果', 'department-system', 'Message'],
  ['get', '/outbox', '推送给本部门的事项', 'department-system'],
  ['post', '/outbox/:id/ack', '确认已取走推送', 'department-system'],
  ['get', '/regions/:code/children', '下级行政区划（街道、社区）', 'anyone'],
];

const ERROR = {
  type: 'object', required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string', description: '中文说明' } }, additionalProperties: true } },
};

/** POST /cases: a retry with the same key gets the case the first attempt created (header `Idempotent-Replayed: true`). */
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key', in: 'header', required: false,
  description: '客户端为每次提交生成的唯一键（如 UUID）：网络中断或 502 后用同一键重试，返回第一次创建的办件，不会重复提交',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
};

/** `/cases/:id` → `/cases/{id}`. */
export const openApiPath = (koaPath: string) => koaPath.replace(/:([A-Za-z]+)/g, '{$1}');

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [method, path, summary, who, body] of OPERATIONS) {
    const params: Record<string, unknown>[] = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (method === 'post' && path === '/cases') params.push(IDEMPOTENCY_KEY);
    (paths[openApiPath(path)] ??= {})[method] = {
      summary,
      description: `调用方：${who}`,
      ...(params.length ? { parameters: params } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${body}` } } } } } : {}),
      ...(who === 'anyone' ? { security: [] } : who === 'department-system' ? { security: [{ apiKey: [] }] } : {}),
      responses: {
        200: { description: '成功' },
        default: { description: '错误（4xx/5xx）', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
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
