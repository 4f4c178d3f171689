/**
 * The matter's linked items as a checklist beside the form: department, whether the current
 * answers request it, and the materials it needs (必需 / 依申请 / 可容缺).
 */
import { Card, Tag, Typography } from 'antd';
import type { FormSchema } from '@lianban/runtime';
import type { LinkedItemDef } from '../api/index';
import { departmentLabel, itemRequested, optInFields } from '../case/index';
import { t } from '../i18n';

interface Props {
  items: LinkedItemDef[];
  schema: FormSchema;
  values: Record<string, unknown>;
}

export function Checklist({ items, schema, values }: Props) {
  const fields = optInFields(schema);
  return (
    <Card title={t('form.checklist')} size="small" className="lb-checklist" data-testid="checklist">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{t('form.checklistHint')}</Typography.Paragraph>
      {items.map((item) => {
        const on = itemRequested(item, fields, values);
        return (
          <section key={item.key} className="lb-checklist-item" data-item={item.key} data-requested={String(on ?? '')}>
            <div className="lb-checklist-head">
              <span>{item.title}</span>
              {item.mandatory ? <Tag color="blue">{t('form.mandatory')}</Tag>
                : on === undefined ? null
                  : <Tag color={on ? 'green' : 'default'}>{on ? t('form.itemOn') : t('form.itemOff')}</Tag>}
            </div>
            <div className="lb-muted">{t('case.department')}：{departmentLabel(item.department)}</div>
            {item.materials?.length ? (
              <ul>
                {item.materials.map((m) => (
                  <li key={m.name}>
                    {m.name}
                    <span className="lb-muted">（{m.kind === 'required' ? t('form.required') : t('form.onRequest')}{m.waivable ? `，${t('form.waivable')}` : ''}）</span>
                  </li>
                ))}
              </ul>
            ) : <div className="lb-muted">{t('form.noMaterials')}</div>}
          </section>
        );
      })}
    </Card>
  );
}
