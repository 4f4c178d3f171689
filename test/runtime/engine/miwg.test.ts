import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy } from '@lianban/runtime';

// CI keeps the conformance models beside the repository: <repo>/../shared/conformance/miwg.
const DIR = path.resolve(process.cwd(), '../shared/conformance/miwg');
const MODELS = readdirSync(DIR).filter((f) => f.endsWith('.bpmn')).sort();

describe('MIWG reference models', () => {
  it('should find all 21 models', () => {
    expect(MODELS).toHaveLength(21);
  });

  it.each(MODELS)('%s should deploy, or be refused with problems that name elements', async (file) => {
    // given
    const xml = readFileSync(path.join(DIR, file), 'utf8');

    // when
    const { definition, problems } = await deploy(xml);

    // then
    if (definition) {
      expect(problems).toEqual([]);
      expect(Object.keys(definition.elements).length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
    } else {
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) {
        expect(p.message).toMatch(/[\u4e00-\u9fa5]/);
        expect(p.code).toMatch(/^[a-z-]+$/);
        expect(p.element).toBeTruthy();
        expect(p.message).toContain(p.element!);
      }
    }
  });
});
