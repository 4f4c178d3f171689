/** Task forms vs application forms (runtime/src/matters/task-forms.ts). */
import { describe, expect, it } from 'vitest';
import { applicationForms, deploy, taskFormKeys } from '@lianban/runtime';

const XML = `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:lb="http://lianban.gov.cn/schema/bpmn" id="D" targetNamespace="t">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="S" /><bpmn:userTask id="T" name="体检结论" lb:candidateGroups="health" lb:formKey="medical-review" /><bpmn:endEvent id="E" />
    <bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="T" /><bpmn:sequenceFlow id="f2" sourceRef="T" targetRef="E" />
  </bpmn:process>
</bpmn:definitions>`;

describe('task forms', () => {
  it('should find the task forms in the flow XML and in the deployed definition alike', async () => {
    const { definition } = await deploy(XML);
    expect(taskFormKeys(XML)).toEqual(new Set(['medical-review']));
    expect(taskFormKeys(definition!)).toEqual(new Set(['medical-review']));
  });

  it('should offer applicants every form but the task forms', () => {
    const forms = [{ key: 'apply', title: '申请表' }, { key: 'medical-review', title: '体检结论' }];
    expect(applicationForms({ forms, flow: { xml: XML } })).toEqual([{ key: 'apply', title: '申请表' }]);
  });
});
