/**
 * /showcase — the sample form with every field type and rule kind, a 校验 button that runs the
 * same pure checker the server runs, and a read-only / print view.
 */
import { useCallback, useMemo, useState } from 'react';
import { Alert, Button, Space } from 'antd';
import type { Form } from '@formily/core';
import { compileChecker, type FieldError } from '@lianban/runtime';
import { FormRenderer } from '../forms/FormRenderer';
import { checkForm } from '../forms/errors';
import { showcaseRegionLoader, showcaseSchema } from './sample-schema';
import { titleOf } from './titles';
import './showcase.css';

declare global {
  interface Window {
    /** Test hook: load values into the showcase form. */
    __lianbanShowcase?: { setValues(values: Record<string, unknown>): void; values(): Record<string, unknown> };
  }
}

export function ShowcasePage() {
  const checker = useMemo(() => compileChecker(showcaseSchema), []);
  const [form, setForm] = useState<Form>();
  const [readOnly, setReadOnly] = useState(false);
  const [errors, setErrors] = useState<FieldError[] | null>(null);
  const onForm = useCallback((f: Form) => {
    setForm(f);
    window.__lianbanShowcase = {
      setValues: (v) => { f.reset(); f.setValues(v, 'overwrite'); },
      values: () => JSON.parse(JSON.stringify(f.values)) as Record<string, unknown>,
    };
  }, []);
  const validate = () => {
    if (!form) return;
    setErrors(checkForm(form, checker).errors);
  };
  return (
    <main className="lb-showcase">
      <header className="lb-no-print lb-showcase-bar">
        <div>
          <h1 className="lb-showcase-title">表单组件展示</h1>
          <p className="lb-showcase-sub">常州 附件3 申请表，含全部字段类型与联动规则（可见、必填、计算）。</p>
        </div>
        <Space>
          <Button type="primary" autoInsertSpace={false} onClick={validate} disabled={readOnly}>校验</Button>
          <Button onClick={() => setReadOnly((r) => !r)}>{readOnly ? '返回填写' : '只读 / 打印预览'}</Button>
          {readOnly ? <Button autoInsertSpace={false} onClick={() => window.print()}>打印</Button> : null}
        </Space>
      </header>
      {errors ? (
        <div className="lb-no-print lb-showcase-result" data-testid="validation-result">
          {errors.length === 0 ? (
            <Alert type="success" showIcon message="校验通过：可以提交" />
          ) : (
            <Alert
              type="error"
              showIcon
              message={`有 ${errors.length} 处需要修改`}
              description={(
                <ul className="lb-error-list">
                  {errors.map((e) => (
                    <li key={e.path + e.code} data-path={e.path} data-code={e.code}>
                      <strong>{titleOf(showcaseSchema, e.path)}</strong>：{e.message}
                    </li>
                  ))}
                </ul>
              )}
            />
          )}
        </div>
      ) : null}
      <FormRenderer schema={showcaseSchema} readOnly={readOnly} regionLoader={showcaseRegionLoader} onForm={onForm} onChange={() => setErrors(null)} />
    </main>
  );
}
