/**
 * The field-type table. Importing this module registers every built-in type, in palette order.
 *
 *   fieldTypes().map((t) => t.label)   // the designer palette
 *   fieldType('idNumber')?.check('341502196501150038', field)   // {code: 'id-number.check-digit'}
 */
import './basic';
import './money';
import './choice';
import './identity';
import './composite';
import './layout';

export {
  defineField, fieldType, fieldTypes, forgetField, componentPropsOf, maskValue, maskText,
  type FieldTypeConfig, type FieldGroup, type CheckProblem,
} from './define';
export { EDIT, type EditorEntry, type EditableKey, type ComponentProp } from './editor';
export { maskIdNumber } from './identity';
export { YES_NO } from './choice';
export { isDateString } from './basic';
export { isMoney, formatMoney } from './money';
export { REGION_CODE_LENGTHS, checkRegion, type UploadedFile } from './composite';
