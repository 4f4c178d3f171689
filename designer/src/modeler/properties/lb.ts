/**
 * Reading and writing `lb:` attributes through bpmn-js commands (so every edit is undoable and
 * marks the diagram dirty). An empty value removes the attribute instead of writing `lb:x=""`.
 */
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';
import type { Element } from 'bpmn-js/lib/model/Types';
import type Modeling from 'bpmn-js/lib/features/modeling/Modeling';

/** A moddle object as seen by the panel: `get`/`set` accept `lb:` names. */
export interface ModdleObject {
  $type: string;
  id?: string;
  get(name: string): unknown;
  [key: string]: unknown;
}

/** The business object behind a diagram element. */
export function bo(element: Element): ModdleObject {
  return getBusinessObject(element) as unknown as ModdleObject;
}

/** The trimmed string value of `lb:<name>` on `target` ('' when unset). */
export function getLb(target: ModdleObject, name: string): string {
  const v = target.get(`lb:${name}`);
  return typeof v === 'string' ? v : '';
}

/** Sets `lb:<name>` on the element's business object (or on `target`, e.g. its loop). */
export function setLb(modeling: Modeling, element: Element, name: string, value: string, target?: ModdleObject): void {
  const v = value.trim() ? value : undefined;
  if (target && target !== bo(element)) {
    modeling.updateModdleProperties(element, target as never, { [`lb:${name}`]: v });
  } else {
    modeling.updateProperties(element, { [`lb:${name}`]: v });
  }
}

/** Which `lb:` attribute names the department of this element: user tasks route to candidate groups. */
export function departmentAttribute(element: Element): 'candidateGroups' | 'department' | undefined {
  if (is(element, 'bpmn:UserTask')) return 'candidateGroups';
  if (is(element, 'bpmn:ServiceTask') || is(element, 'bpmn:ReceiveTask')) return 'department';
  if (is(element, 'bpmn:IntermediateCatchEvent')) return 'department';
  return undefined;
}

/** Item statuses the engine knows (docs/flow-extensions.md), with their Chinese names. */
export const ITEM_STATUS_OPTIONS = [
  { value: 'requested', label: '已申请' },
  { value: 'in-progress', label: '办理中' },
  { value: 'done', label: '已办结' },
  { value: 'standalone', label: '转单独事项' },
  { value: 'not-applicable', label: '不适用' },
];

/** Case results an end event may set. */
export const CASE_RESULT_OPTIONS = [
  { value: 'completed', label: '办结' },
  { value: 'rejected', label: '不予办理' },
];

/** `P5D`, `PT4H`, `P1W`, `P1Y2M3DT4H5M6S` — an ISO 8601 duration, as the engine accepts. */
export function isIsoDuration(text: string): boolean {
  return /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(text.trim());
}
