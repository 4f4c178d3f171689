/** The round-trip comparator itself: it must see real losses and ignore mere formatting. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffBpmn } from './bpmn-compare';

const xml = fs.readFileSync(path.resolve(import.meta.dirname, 'fixtures/gateway.bpmn'), 'utf8');

describe('diffBpmn', () => {
  it('should find no difference between a document and its reformatted self', async () => {
    const reformatted = xml.replace(/>\s*</g, '>\n  <').replace('id="Task_review" name="受理审核"', 'name="受理审核" id="Task_review"');
    expect(await diffBpmn(xml, reformatted)).toEqual([]);
  });

  it('should report a lost lb: attribute, a moved shape, a changed waypoint and a missing edge', async () => {
    const changed = xml
      .replace(' lb:candidateGroups="health"', '')
      .replace('<dc:Bounds x="240" y="160"', '<dc:Bounds x="241" y="160"')
      .replace('<di:waypoint x="420" y="340" />', '<di:waypoint x="421" y="340" />')
      .replace(/<bpmndi:BPMNEdge id="f1_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, '');
    const diffs = await diffBpmn(xml, changed);
    expect(diffs).toEqual(expect.arrayContaining([
      'Task_health.lb:candidateGroups: "health" → undefined',
      'Task_review_di/bounds.x: 240 → 241',
      'Flow_yes_di/waypoint[1].x: 420 → 421',
      'missing f1_di (bpmndi:BPMNEdge)',
    ]));
  });
});
