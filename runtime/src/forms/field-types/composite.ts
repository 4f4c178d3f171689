/** Composite values: region picker, repeating rows, materials upload, computed read-only value. */
import type { FieldSchema, Json } from '../types';
import { defineField, type CheckProblem } from './define';

/** Code lengths of 省/市/县/街道/社区 (GB/T 2260 + statistical division codes). */
export const REGION_CODE_LENGTHS = [2, 4, 6, 9, 12] as const;

const levelsOf = (f: FieldSchema) => f['x-region-levels'] ?? 3;

/** A region value: one code per level, each extending the previous one. */
export function checkRegion(v: unknown, f: FieldSchema): CheckProblem | null {
  const levels = levelsOf(f);
  if (!Array.isArray(v) || !v.every((c) => typeof c === 'string')) return { code: 'type' };
  if (v.length !== levels) return { code: 'region', n: ['省', '市', '县（区）', '街道（乡镇）', '社区（村）'][levels - 1] };
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as string;
    if (c.length !== REGION_CODE_LENGTHS[i] || !/^\d+$/.test(c) || (i > 0 && !c.startsWith(v[i - 1] as string))) return { code: 'region.code' };
  }
  return null;
}

defineField({
  type: 'region', label: '行政区划', group: 'composite', keyed: true, dataType: 'array', component: 'RegionPicker',
  emptyValue: [], span: 4,
  create: (o) => ({ type: 'array', title: '所属地区', 'x-field-type': 'region', 'x-region-levels': 3, ...o }),
  jsonSchema: (f) => {
    const levels = levelsOf(f);
    return {
      type: 'array', minItems: levels, maxItems: levels,
      prefixItems: REGION_CODE_LENGTHS.slice(0, levels).map((n) => ({ type: 'string', pattern: `^\\d{${n}}$` })),
      items: false,
    } as Record<string, Json>;
  },
  check: checkRegion,
  componentProps: { levels: { doc: '选到哪一级（来自 x-region-levels）', default: (f) => levelsOf(f) } },
  editor: [{ key: 'x-region-levels', label: '选到哪一级', kind: 'radio', fallback: 3, options: [{ value: 3, label: '区县' }, { value: 4, label: '街道' }, { value: 5, label: '社区' }] }],
});

defineField({
  type: 'rows', label: '重复行（表格）', group: 'composite', keyed: true, container: 'items', dataType: 'array', component: 'RowsTable',
  emptyValue: [], span: 4,
  create: (o) => ({
    type: 'array', title: '明细', 'x-field-type': 'rows', maxItems: 50,
    items: { type: 'object', properties: { note: { type: 'string', title: '内容', maxLength: 100, 'x-field-type': 'text' } } },
    ...o,
  }),
  jsonSchema: (f) => ({
    type: 'array',
    ...(f.minItems !== undefined ? { minItems: f.minItems } : {}),
    ...(f.maxItems !== undefined ? { maxItems: f.maxItems } : {}),
  }),
  check: (v, f) => {
    if (!Array.isArray(v)) return { code: 'type' };
    if (f.minItems !== undefined && v.length < f.minItems) return { code: 'min-items', n: f.minItems };
    if (f.maxItems !== undefined && v.length > f.maxItems) return { code: 'max-items', n: f.maxItems };
    if (!v.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) return { code: 'rows.item' };
    return null;
  },
});

/** One uploaded (or promised) material. `fileId` is the server's attachment id. */
export interface UploadedFile {
  name: string;
  fileId?: string;
  size?: number;
  /** Material code from `x-materials`. */
  material?: string;
  /** 容缺承诺: promised now, handed in later. */
  promised?: boolean;
}

const FILE_SCHEMA: Record<string, Json> = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    fileId: { type: 'string', maxLength: 100 },
    size: { type: 'number', minimum: 0 },
    material: { type: 'string', maxLength: 100 },
    promised: { type: 'boolean' },
  },
};
const FILE_KEYS = new Set(['name', 'fileId', 'size', 'material', 'promised']);

function isFile(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  return typeof o.name === 'string' && o.name.length > 0 && o.name.length <= 200
    && Object.keys(o).every((k) => FILE_KEYS.has(k))
    && (o.fileId === undefined || (typeof o.fileId === 'string' && o.fileId.length <= 100))
    && (o.size === undefined || (typeof o.size === 'number' && o.size >= 0))
    && (o.material === undefined || (typeof o.material === 'string' && o.material.length <= 100))
    && (o.promised === undefined || typeof o.promised === 'boolean');
}

defineField({
  type: 'upload', label: '材料上传', group: 'composite', keyed: true, dataType: 'array', component: 'MaterialsUpload',
  emptyValue: [], span: 4,
  create: (o) => ({ type: 'array', title: '申请材料', 'x-field-type': 'upload', maxItems: 20, 'x-materials': [], ...o }),
  jsonSchema: (f) => ({ type: 'array', items: FILE_SCHEMA, maxItems: f.maxItems ?? 20 }),
  check: (v, f) => {
    if (!Array.isArray(v)) return { code: 'type' };
    if (v.length > (f.maxItems ?? 20)) return { code: 'max-items', n: f.maxItems ?? 20 };
    return v.every(isFile) ? null : { code: 'upload' };
  },
  componentProps: { materials: { doc: '所需材料（来自 x-materials）', default: (f) => f['x-materials'] ?? [] } },
  editor: [{ key: 'x-materials', label: '材料', kind: 'materials' }],
});

defineField({
  type: 'computed', label: '计算值（只读）', group: 'composite', keyed: true, dataType: 'string', component: 'ComputedText',
  emptyValue: undefined, span: 1,
  create: (o) => ({ type: 'string', title: '计算值', 'x-field-type': 'computed', 'x-compute': { compute: 'statutoryRetirement', from: {} }, ...o }),
  jsonSchema: () => ({ type: ['string', 'number'] }),
  check: (v) => (typeof v === 'string' || typeof v === 'number' ? null : { code: 'type' }),
  editor: [{ key: 'x-compute', label: '计算规则', kind: 'compute' }],
  checkSchema: (f) => (f['x-compute'] ? null : { code: 'missing-compute', message: 'a computed field needs `x-compute`' }),
});
