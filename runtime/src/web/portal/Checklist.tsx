/**
 * The matter's linked items as a checklist beside the form: department, whether the current
 * answers request it, and the materials it needs (必需 / 依申请 / 可容缺).
 */
import { useState } from 'react';
import { Card, Tag } from 'antd';
import { applicableMaterials, type FormSchema } from '@lianban/runtime';
import type { LinkedItemDef } from '../api/index';
import { departmentLabel, itemRequested, optInFields } from '../case/index';
import { t } from '../i18n';
import './portal.css';

interface Props {
  items: LinkedItemDef[];
  schema: FormSchema;
  values: Record<string, unknown>;
}

export function Checklist({ items, schema, values }: Props) {
  const fields = optInFields(schema);
  // Open beside the form on wide screens; folded above it on phones, where it would push the form down.
  const [open] = useState(() => typeof window === 'undefined' || window.matchMedia('(min-width: 901px)').matches);
  const requested = items.filter((i) => itemRequested(i, fields, values)).length;
  return (
    <Card size="small" className="lb-checklist" data-testid="checklist">
      <details open={open}>
        <summary className="lb-checklist-summary">{t('form.checklist')}<span className="lb-muted">（{requested}/{items.length}）</span></summary>
      <p className="lb-muted">{t('form.checklistHint')}</p>
      {items.map((item) => {
        const on = itemRequested(item, fields, values);
        // only what this form and these answers need (六安: the 单位 or the 灵活就业 list, 人事档案 when there is one)
        const materials = applicableMaterials(item.materials ?? [], schema, values);
        return (
          <section key={item.key} className="lb-checklist-item" data-item={item.key} data-requested={String(on ?? '')}>
            <div className="lb-checklist-head">
              <span>{item.title}</span>
              {item.mandatory ? <Tag color="blue">{t('form.mandatory')}</Tag>
                : on === undefined ? null
                  : <Tag color={on ? 'green' : 'default'}>{on ? t('form.itemOn') : t('form.itemOff')}</Tag>}
            </div>
            <div className="lb-muted">{t('case.department')}：{departmentLabel(item.department)}</div>
            {materials.length ? (
              <ul>
                {materials.map((m) => (
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
      </details>
    </Card>
  );
}
