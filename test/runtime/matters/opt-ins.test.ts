/** Which linked items a submission requests (runtime/src/matters/opt-ins.ts): one rule for server and portal. */
import { describe, expect, it } from 'vitest';
import { isOptedIn, itemRequested, optInFields, requestedItems, type FieldSchema } from '@lianban/runtime';
import { loadTemplates } from '@lianban/templates';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', 'x-field-type': 'text' },
    services: {
      type: 'void', 'x-field-type': 'section', title: '联办事项',
      properties: {
        housing: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': 'housing-fund-withdrawal' },
        medical: { type: 'boolean', 'x-field-type': 'yesNo', 'x-linked-item': { id: 'medical-insurance-transfer', name: '医保', department: 'medical' } },
      },
    },
    extra: { type: 'object', 'x-field-type': 'group', properties: { child: { type: 'array', 'x-field-type': 'checkbox', enum: [{ label: '需要办理', value: '需要' }], 'x-linked-item': 'only-child-certificate' } } },
  },
} as unknown as FieldSchema;

const items = [
  { key: 'retirement-approval', mandatory: true },
  { key: 'housing-fund-withdrawal' },
  { key: 'medical-insurance-transfer' },
  { key: 'only-child-certificate' },
  { key: 'not-on-the-form' },
];

describe('opt-ins', () => {
  it('should count a yes answer (true) and a ticked checkbox, nothing else', () => {
    expect(isOptedIn(true)).toBe(true);
    expect(isOptedIn(['需要'])).toBe(true);
    // yesNo fields store booleans (YES_NO); validated data never holds these strings
    for (const v of [false, undefined, null, '是', 'yes', 'true', 1, [], {}]) expect(isOptedIn(v), JSON.stringify(v)).toBe(false);
  });

  it('should map each item to the data path of its opt-in field, sections adding no segment', () => {
    expect(optInFields(schema)).toEqual(new Map([
      ['housing-fund-withdrawal', 'housing'],
      ['medical-insurance-transfer', 'medical'],
      ['only-child-certificate', 'extra.child'],
    ]));
  });

  it('should request the mandatory items and those answered yes, in the matter order', () => {
    const data = { name: '李示例', housing: true, medical: false, extra: { child: ['需要'] } };
    expect(requestedItems(items, schema, data)).toEqual(['retirement-approval', 'housing-fund-withdrawal', 'only-child-certificate']);
    expect(requestedItems(items, schema, {})).toEqual(['retirement-approval']);
  });

  it('should say undefined for an item the form has no opt-in for', () => {
    const optIns = optInFields(schema);
    expect(itemRequested({ key: 'not-on-the-form' }, optIns, {})).toBeUndefined();
    expect(itemRequested({ key: 'housing-fund-withdrawal' }, optIns, { housing: false })).toBe(false);
    expect(itemRequested({ key: 'not-on-the-form', mandatory: true }, optIns, {})).toBe(true);
  });

  it('should request what the shipped example submissions tick', () => {
    const luan = loadTemplates().cities.find((c) => c.key === 'luan')!;
    const form = luan.forms.find((f) => f.key === 'luan-retirement-unit')!;
    expect(requestedItems(luan.matters[0]!.linkedItems, form.schema as unknown as FieldSchema, form.example))
      .toEqual(['retirement-normal', 'medical-insurance-transfer', 'housing-fund-withdrawal']);
  });
});
