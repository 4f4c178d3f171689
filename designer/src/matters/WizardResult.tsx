/** What the wizard changed: the new flow step (selected in the modeler) and a live preview of the new form section. */
import { Alert, Button, Card, Space } from 'antd';
import { Link } from 'react-router-dom';
import type { FieldSchema, FormSchema } from '@lianban/runtime';
import { FormRenderer } from '@lianban/runtime/web';
import type { NewLinkedItem } from './model/linked-item';

export interface AddedItem {
  item: NewLinkedItem;
  taskId: string;
  forms: Array<{ key: string; title: string; fieldKey: string; path: string[]; schema: FormSchema }>;
}

/** The new item's section of a form, as a small form of its own for the preview. */
function sectionPreview(schema: FormSchema, path: string[], title: string): FormSchema {
  let node: FieldSchema = schema;
  for (const k of path.slice(0, -1)) node = node.properties![k]!;
  return { type: 'object', title: `申请表预览：${title}`, properties: { [path.at(-2)!]: node } };
}

export function WizardResult({ added, onClose, onShowTask }: { added: AddedItem; onClose(): void; onShowTask(): void }) {
  const first = added.forms[0];
  return (
    <Alert type="success" showIcon closable onClose={onClose} style={{ marginBottom: 12 }} data-testid="wizard-result"
      message={`已添加关联事项「${added.item.title}」并保存为草稿，请检查后发布`}
      description={(
        <Space direction="vertical" style={{ width: '100%' }}>
          <div>
            流程：新环节「{added.item.title}」已加入按勾选办理的分支，并在下方流程图中选中，可在右侧属性面板调整办理部门、时限等。
            <Button size="small" type="link" onClick={onShowTask}>定位到流程环节</Button>
          </div>
          <div>
            申请表：已在 {added.forms.map((f) => (
              <Link key={f.key} to={`/forms/${f.key}?field=${f.fieldKey}`} style={{ marginRight: 12 }}>「{f.title}」的字段 {f.fieldKey}</Link>
            ))} 中添加“需要办理”勾选（点击可在表单设计器中调整）。
          </div>
          {first && (
            <Card size="small" style={{ maxWidth: 900 }} data-testid="wizard-form-preview">
              <FormRenderer schema={sectionPreview(first.schema, first.path, added.item.title)} />
            </Card>
          )}
        </Space>
      )} />
  );
}
