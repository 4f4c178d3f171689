/** The Chinese title of the field at a dotted data path (rows cells: "工作简历 第1行 起始时间"). */
import { walkSchema, type FieldSchema } from '@lianban/runtime';

export function titleOf(schema: FieldSchema, path: string): string {
  const nodes = walkSchema(schema).filter((n) => n.keyed);
  const generic = path.replace(/\.(\d+)(?=\.|$)/g, '.*');
  const node = nodes.find((n) => n.path === generic);
  const m = /^([^.]+)\.(\d+)\./.exec(path);
  if (m) {
    const rows = nodes.find((n) => n.path === m[1]);
    return `${rows?.schema.title ?? m[1]} 第${Number(m[2]) + 1}行 ${node?.schema.title ?? ''}`.trim();
  }
  return node?.schema.title ?? (path || '表单');
}
