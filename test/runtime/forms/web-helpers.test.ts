import { describe, expect, it } from 'vitest';
import { Schema } from '@formily/json-schema';
import { createRegionLoader, installSafeFormily } from '@lianban/runtime/web';

describe('installSafeFormily (no code from schemas)', () => {
  it('should resolve a bare scope name and leave any other expression as inert text', () => {
    // given
    installSafeFormily();
    const scope = { $lianbanRules: () => 'ok' };
    // when / then
    expect((Schema.shallowCompile('{{$lianbanRules}}', scope) as () => string)()).toBe('ok');
    expect(Schema.shallowCompile('{{alert(1)}}', scope)).toBe('{{alert(1)}}');
    expect(Schema.shallowCompile('{{ $form.values }}', scope)).toBe('{{ $form.values }}');
    expect(Schema.shallowCompile('普通标题', scope)).toBe('普通标题');
  });
});

describe('createRegionLoader', () => {
  it('should give 省/市/县 from the bundled table and ask the injected loader below that', async () => {
    // given
    const asked: string[] = [];
    const loader = createRegionLoader(async (code) => { asked.push(code); return [{ code: `${code}001`, name: '示例街道' }]; });
    // when
    const provinces = await loader(null);
    const cities = await loader('32');
    const counties = await loader('3204');
    const streets = await loader('320402');
    // then
    expect(provinces.find((p) => p.code === '34')?.name).toBe('安徽省');
    expect(cities.find((c) => c.code === '3204')?.name).toBe('常州市');
    expect(counties.find((c) => c.code === '320402')?.name).toBe('天宁区');
    expect(streets).toEqual([{ code: '320402001', name: '示例街道' }]);
    expect(asked).toEqual(['320402']);
  });
});
