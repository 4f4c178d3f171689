import { describe, expect, it } from 'vitest';
import { RULES_SCOPE_NAME, showcaseSchema, toFormilySchema, type FieldSchema, type RuleTarget } from '@lianban/runtime';

/** A stand-in for a Formily field: the reaction only needs path, form values and three setters. */
function fakeField(path: string, values: Record<string, unknown>) {
  const decorator: Record<string, unknown> = {};
  const field: RuleTarget & { decorator: Record<string, unknown> } = {
    path: { toString: () => path },
    form: { getValuesIn: (p: string) => values[p] },
    visible: true,
    required: false,
    value: undefined,
    decorator,
    setDecoratorProps: (p) => Object.assign(decorator, p),
  };
  return field;
}

const compiled = toFormilySchema(showcaseSchema);
const react = compiled.scope[RULES_SCOPE_NAME] as (f: RuleTarget) => void;
const node = (key: string): FieldSchema => {
  const find = (s: FieldSchema): FieldSchema | undefined => s.properties?.[key] ?? Object.values(s.properties ?? {}).map(find).find(Boolean);
  return find(compiled.schema)!;
};

describe('toFormilySchema (rules as Formily reactions)', () => {
  it('should show the help after the 系统补充项 mark, and never the author\'s note', () => {
    const { schema } = toFormilySchema({
      type: 'object',
      properties: {
        months: { type: 'number', title: '中断月数', 'x-field-type': 'number', description: '系统补充项：没有中断的不填。', 'x-note': '印刷表无此栏。' },
        region: { type: 'string', title: '所属社区', 'x-field-type': 'text', description: '系统补充项：' },
        plain: { type: 'void', title: '说明', 'x-field-type': 'section', description: '按实际填写' },
        group: { type: 'void', title: '拟退休职工信息', 'x-field-type': 'section', description: '系统补充项：请填写拟退休职工的姓名。' },
        hint: { type: 'void', title: '提示', 'x-field-type': 'help', description: '系统补充项：只能申请其一。' },
      },
    });
    const p = schema.properties!;
    expect(p.months!.description).toBe('没有中断的不填。');
    expect(p.months!['x-decorator-props']).toMatchObject({ description: '没有中断的不填。' });
    expect(p.months!['x-note']).toBeUndefined();
    expect(p.region!.description).toBeUndefined();
    expect(p.plain!.description).toBe('按实际填写');
    // sections and notes show their description through their own component prop
    expect(p.group!['x-component-props']).toMatchObject({ description: '请填写拟退休职工的姓名。' });
    expect(p.hint!['x-component-props']).toMatchObject({ description: '只能申请其一。' });
  });

  it('should keep the rules out of the schema (no reactions, no expressions) and list them with their read sets', () => {
    expect(node('onlyChildCertificateFile')['x-reactions']).toBeUndefined();
    expect(JSON.stringify(compiled.schema)).not.toMatch(/\{\{|x-reactions/);
    expect(compiled.rules.get('onlyChildCertificateFile')!.reads).toEqual(['hasOnlyChildCertificate']);
    expect(compiled.rules.has('unitName')).toBe(false);
  });

  it('should fill in components, decorators and layout from the field-type table', () => {
    expect(node('idNumber')).toMatchObject({ 'x-component': 'IdNumberInput', 'x-decorator': 'FieldCell', 'x-decorator-props': { span: 2, required: true } });
    expect(node('statutoryAge')).toMatchObject({ 'x-component': 'ComputedText', 'x-pattern': 'readPretty' });
    expect(node('approval')).toMatchObject({ 'x-component': 'Section' });
    expect(node('approval')['x-decorator']).toBeUndefined();
    expect(node('workHistory').items!.properties!.unitAndPost!['x-decorator']).toBe('RowCell');
    expect(node('communityRegion')['x-component-props']).toMatchObject({ levels: 5 });
  });

  it('should show a field only while its condition holds', () => {
    const hidden = fakeField('onlyChildCertificateFile', { hasOnlyChildCertificate: false });
    react(hidden);
    expect(hidden.visible).toBe(false);
    const shown = fakeField('onlyChildCertificateFile', { hasOnlyChildCertificate: true });
    react(shown);
    expect(shown.visible).toBe(true);
  });

  it('should make a field required while its condition holds and tell the decorator', () => {
    const f = fakeField('earlyMaterials', { services: ['职工提前退休(退职)'] });
    react(f);
    expect(f.required).toBe(true);
    expect(f.decorator.required).toBe(true);
    const g = fakeField('earlyMaterials', { services: ['职工正常退休'] });
    react(g);
    expect(g.required).toBe(false);
  });

  it('should compute values from the registry with the same results as the server', () => {
    const f = fakeField('statutoryAge', { idNumber: '32040219700520002X', identity: '干部' });
    react(f);
    expect(f.value).toBe('55岁2个月');
    const bad = fakeField('statutoryAge', { idNumber: '341502196501150038' });
    react(bad);
    expect(bad.value).toBeUndefined();
  });

  it('should check a field on blur with the server\'s check and Chinese message', () => {
    const v = node('idNumber')['x-validator'] as { triggerType: string; validator(value: unknown): string };
    expect(v.triggerType).toBe('onBlur');
    expect(v.validator('341502196501150038')).toBe('身份证号码校验位不正确，请核对');
    expect(v.validator('341502196501150039')).toBe('');
    expect(v.validator('')).toBe('');
    const mobile = node('mobile')['x-validator'] as { validator(value: unknown): string };
    expect(mobile.validator('+86 139 1234 5678')).toBe('');
  });
});

describe('toFormilySchema: component props and patterns (issue 17, findings 2 and 10)', () => {
  const schema: FieldSchema = {
    type: 'object',
    properties: {
      when: { type: 'string', title: '日期', 'x-field-type': 'date', 'x-component-props': { placeholder: '选日期', format: { bad: true }, dangerouslySetInnerHTML: { __html: '<b>x</b>' }, onChange: 'boom' } },
      name: { type: 'string', title: '姓名', 'x-field-type': 'text', pattern: '^(a|a)+$', 'x-component-props': { style: { display: 'none' } } },
    },
  };
  const out = toFormilySchema(schema).schema.properties!;

  it('should keep only the props the field type documents, with values of the documented kind', () => {
    expect(out.when!['x-component-props']).toEqual({ format: 'YYYY-MM-DD', placeholder: '选日期' });
    expect(out.name!['x-component-props']).toBeUndefined();
  });

  it('should leave the pattern to the RE2 validator instead of Formily\'s RegExp', () => {
    expect(out.name!.pattern).toBeUndefined();
    const v = out.name!['x-validator'] as { validator(value: unknown): string };
    expect(v.validator(`${'a'.repeat(10_000)}!`)).toBe('填写的格式不符合要求');
    expect(v.validator('aaa')).toBe('');
  });
});
