/**
 * `<FormRenderer schema value onChange readOnly />` — renders a Lianban form schema with Formily
 * and our components, laid out on a CSS grid like the official table. `readOnly` gives the
 * read-only / print layout (A4, with the form's print note such as 一式三份).
 */
import { useEffect, useMemo, useRef } from 'react';
import { createForm, onFieldValidateEnd, onFormValuesChange, type Form } from '@formily/core';
import { createSchemaField, FormProvider } from '@formily/react';
import { toJS } from '@formily/reactive';
import { Checkbox, Input, NumberPicker, PreviewText, Radio, Select } from '@formily/antd-v5';
import { ConfigProvider } from 'antd';
import { toFormilySchema, walkSchema, type FormSchema, type RetirementConfig } from '@lianban/runtime';
import { FieldCell, RowCell } from './components/FieldCell';
import { withFieldBoundary } from './components/FieldBoundary';
import { ComputedText, HelpText, Section } from './components/Layout';
import { IdNumberInput, MobileInput, YesNo } from './components/inputs';
import { DateInput } from './components/DateInput';
import { FileUploaderContext, MaterialsUpload, type FileUploader } from './components/MaterialsUpload';
import { RegionLoaderContext, RegionPicker } from './components/RegionPicker';
import { RowsTable } from './components/RowsTable';
import { createRegionLoader, type RegionLoader } from './region-loader';
import { installRuleReactions } from './rule-reactions';
import { installSafeFormily } from './safe-compiler';
import { FormStepContext } from './steps';
import './forms.css';

installSafeFormily();

/**
 * Every component a compiled schema may name (`x-component` / `x-decorator`). The decorators,
 * sections and notes sit in an error boundary: a field that fails to render shows 「此字段无法显示」
 * in its place and the rest of the form stays.
 */
export const formComponents = {
  Input, NumberPicker, DatePicker: DateInput, Select, Radio, Checkbox,
  IdNumberInput, MobileInput, YesNo, RegionPicker, RowsTable, MaterialsUpload,
  ComputedText, Section: withFieldBoundary(Section), HelpText: withFieldBoundary(HelpText),
  FieldCell: withFieldBoundary(FieldCell), RowCell: withFieldBoundary(RowCell),
};

const SchemaField = createSchemaField({ components: formComponents });

/** Above this many fields the renderer lets the browser skip off-screen cells (see forms.css). */
export const LONG_FORM_FIELDS = 150;
const defaultRegionLoader = createRegionLoader();
/**
 * No click ripple on the form's radios and buttons: antd's wave reads the computed style of the
 * clicked control and positions an overlay on every click — on a 500-field form that was the
 * largest single cost of a 是/否 click (profiled in Chromium), and motion a form does not need.
 */
const NO_WAVE = { disabled: true };

export interface FormRendererProps {
  schema: FormSchema;
  /** Initial values (read once per schema). */
  value?: Record<string, unknown>;
  /** Called with plain values after every change (hidden fields are absent). */
  onChange?: (values: Record<string, unknown>) => void;
  /** Read-only / print layout. */
  readOnly?: boolean;
  /** Children of a region (省/市/县 bundled, deeper levels from the server by default). */
  regionLoader?: RegionLoader;
  /** Stores an uploaded file; without one only its name and size are kept. */
  uploader?: FileUploader;
  /** Province retirement parameters for computed values. */
  retirementConfig?: RetirementConfig;
  /** Receives the Formily form, e.g. to validate or show server errors (see showErrors). */
  onForm?: (form: Form) => void;
  /** One group per step: the top-level keys shown now (see formSteps); absent: the whole form. */
  shown?: ReadonlySet<string> | null;
}

/** Renders a form schema for filling in, or read-only for review and printing. */
export function FormRenderer({ schema, value, onChange, readOnly = false, regionLoader, uploader, retirementConfig, onForm, shown = null }: FormRendererProps) {
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const compiled = useMemo(() => toFormilySchema(schema, { retirementConfig }), [schema, retirementConfig]);
  const long = useMemo(() => walkSchema(schema).length > LONG_FORM_FIELDS, [schema]);
  const form = useMemo(() => createForm({
    initialValues: value,
    readPretty: readOnly,
    effects() {
      // One reaction per field with rules, depending only on the fields its rules read.
      installRuleReactions(compiled);
      onFormValuesChange((f) => onChangeRef.current?.(toJS(f.values)));
      // FieldCell shows the first error from its decorator props (it is not an observer).
      onFieldValidateEnd('*', (f) => { if ('selfErrors' in f) f.setDecoratorProps({ error: f.selfErrors[0] }); });
    },
  }), // The form lives as long as the schema; `value` is the initial value only.
  [compiled]);
  useEffect(() => {
    // Only on a real change: setting the pattern re-renders every field.
    const pattern = readOnly ? 'readPretty' : 'editable';
    if (form.pattern !== pattern) form.setPattern(pattern);
  }, [form, readOnly]);
  useEffect(() => { onForm?.(form); }, [form, onForm]);
  const meta = schema['x-form'];
  return (
    <RegionLoaderContext.Provider value={regionLoader ?? defaultRegionLoader}>
      <FileUploaderContext.Provider value={uploader}>
        <FormStepContext.Provider value={readOnly ? null : shown}>
        <ConfigProvider wave={NO_WAVE}>
        <PreviewText.Placeholder value={"\u00a0"}>
          <FormProvider form={form}>
            <form className={`lb-form${readOnly ? ' lb-readonly' : ''}${long ? ' lb-long' : ''}`} onSubmit={(e) => e.preventDefault()} noValidate>
              {schema.title ? <h1 className="lb-form-title">{schema.title}</h1> : null}
              <div className="lb-grid">
                <SchemaField schema={compiled.schema as never} scope={compiled.scope} />
              </div>
              {meta?.printNote ? <p className="lb-print-note">{meta.printNote}</p> : null}
            </form>
          </FormProvider>
        </PreviewText.Placeholder>
        </ConfigProvider>
        </FormStepContext.Provider>
      </FileUploaderContext.Provider>
    </RegionLoaderContext.Provider>
  );
}
