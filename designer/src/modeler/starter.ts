/**
 * The diagram a new flow starts from: 提交申请 → 受理审核 → 办结, laid out so an administrator
 * sees where to continue. The user task has no department yet on purpose: the linter asks for it.
 */
import { LIANBAN_NS } from '@lianban/runtime';

/** A new flow's BPMN XML, with process id/name derived from the flow key. */
export function starterDiagram(key = 'flow', name = '新流程'): string {
  const id = `Process_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:lb="${LIANBAN_NS}" id="Definitions_${id}" targetNamespace="${LIANBAN_NS}/flows">
  <bpmn:process id="${id}" name="${escapeXml(name)}" isExecutable="true">
    <bpmn:startEvent id="Start" name="提交申请"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_review" />
    <bpmn:userTask id="Task_review" name="受理审核"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_review" targetRef="End" />
    <bpmn:endEvent id="End" name="办结"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_1">
    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="${id}">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="152" y="162" width="36" height="36" /><bpmndi:BPMNLabel><dc:Bounds x="146" y="205" width="48" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_review_di" bpmnElement="Task_review"><dc:Bounds x="250" y="140" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_di" bpmnElement="End"><dc:Bounds x="412" y="162" width="36" height="36" /><bpmndi:BPMNLabel><dc:Bounds x="418" y="205" width="24" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="188" y="180" /><di:waypoint x="250" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="350" y="180" /><di:waypoint x="412" y="180" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
