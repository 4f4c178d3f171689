/** Repeating rows (工作简历, 中断时间): a table with one column per item property, add/remove rows. */
import { Button } from 'antd';
import { observer, RecursionField, useField, useFieldSchema } from '@formily/react';
import type { ArrayField } from '@formily/core';
import type { Schema } from '@formily/json-schema';
import { a11yProps } from './inputs';

export const RowsTable = observer((props: Record<string, unknown>) => {
  const field = useField<ArrayField>();
  const schema = useFieldSchema();
  const items = (Array.isArray(schema.items) ? schema.items[0] : schema.items) as Schema | undefined;
  const columns = items ? Object.entries(items.properties ?? {}) : [];
  const rows = Array.isArray(field.value) ? field.value : [];
  const editable = field.pattern === 'editable';
  const max = schema.maxItems ?? Infinity;
  return (
    <div className="lb-rows" {...a11yProps(props)}>
      <table>
        <thead>
          <tr>
            <th className="lb-rows-index">序号</th>
            {columns.map(([key, col]) => (
              <th key={key}>{col.required && editable ? <span className="lb-required" aria-hidden>*</span> : null}{col.title}</th>
            ))}
            {editable ? <th className="lb-rows-ops">操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((_, index) => (
            <tr key={index}>
              <td className="lb-rows-index">{index + 1}</td>
              {columns.map(([key, col]) => (
                <td key={key} data-label={col.title}>
                  <RecursionField schema={col} name={key} basePath={field.address.concat(index)} />
                </td>
              ))}
              {editable ? (
                <td className="lb-rows-ops">
                  <Button type="link" danger size="small" aria-label={`删除第${index + 1}行`} onClick={() => void field.remove(index)}>删除</Button>
                </td>
              ) : null}
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr><td className="lb-rows-empty" colSpan={columns.length + 2}>{editable ? '暂无，点击“添加一行”填写' : '无'}</td></tr>
          ) : null}
        </tbody>
      </table>
      {editable && rows.length < max ? (
        <Button size="small" onClick={() => void field.push({})}>添加一行</Button>
      ) : null}
    </div>
  );
});
