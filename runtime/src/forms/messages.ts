/** Chinese messages for validation codes; machines read `code`, people read these. */

const TEXT: Record<string, string> = {
  'required': '此项为必填项',
  'type': '填写的内容类型不正确',
  'unknown-field': '表单中没有此项，不允许提交',
  'derived-mismatch': '与根据身份证号码等推算的结果不一致',
  'enum': '请从给定选项中选择',
  'min-length': '至少需要填写 {n} 个字符',
  'max-length': '最多只能填写 {n} 个字符',
  'pattern': '填写的格式不符合要求',
  'minimum': '不能小于 {n}',
  'maximum': '不能大于 {n}',
  'integer': '请填写整数',
  'money': '金额最多保留两位小数（分）',
  'min-items': '至少需要 {n} 项',
  'max-items': '最多只能有 {n} 项',
  'date': '日期格式应为 年-月-日',
  'year-month': '年月格式应为 年-月',
  'id-number.length': '身份证号码应为18位',
  'id-number.format': '身份证号码格式不正确：前17位为数字，最后一位为数字或X',
  'id-number.birth-date': '身份证号码中的出生日期不存在',
  'id-number.check-digit': '身份证号码校验位不正确，请核对',
  'credit-code': '统一社会信用代码不正确，请核对',
  'mobile': '手机号码格式不正确，应为11位手机号',
  'postcode': '邮政编码应为6位数字',
  'region': '请选择到{n}一级',
  'region.code': '行政区划代码不正确',
  'upload': '材料信息不完整',
  'yes-no': '请选择“是”或“否”',
  'rows.item': '每一行都应为一组数据',
  'hidden-field': '此项当前不显示，不应填写',
};

/** The Chinese text for a code, with `{n}` filled in. Unknown codes fall back to a generic text. */
export function messageFor(code: string, n?: number | string): string {
  const t = TEXT[code] ?? '填写的内容不正确';
  return n === undefined ? t : t.replace('{n}', String(n));
}

export const REGION_LEVEL_NAMES = ['省', '市', '县（区）', '街道（乡镇）', '社区（村）'] as const;
