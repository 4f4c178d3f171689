/**
 * /bench/forms?impl=lianban|antd&fields=500 — a page for bench/forms.bench.ts: mounts the same
 * generated form with our renderer or with a plain antd 5 Form and reports, on
 * `window.__formsBench`, the mount time and the latency of the dependent-field reaction.
 */
import { useEffect, useMemo, useRef } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { Form, Input, Radio, Select } from 'antd';
import { FormRenderer } from '../../forms/FormRenderer';
import { BENCH_OPTIONS, benchFields, benchSchema } from './bench-schema';

declare global {
  interface Window {
    __formsBench?: { mountMs: number; toggle(): Promise<number>; settle(): Promise<void> };
  }
}

function AntdBaseline({ n }: { n: number }) {
  const fields = useMemo(() => benchFields(n), [n]);
  return (
    <Form layout="vertical" className="lb-form">
      <div className="lb-grid">
        {fields.map((f) => f.key === 'f1' ? (
          <Form.Item key={f.key} noStyle shouldUpdate={(a, b) => a.f0 !== b.f0}>
            {({ getFieldValue }) => (getFieldValue('f0') === true ? (
              <Form.Item name="f1" label={f.title} className="lb-span-1"><Input maxLength={100} /></Form.Item>
            ) : null)}
          </Form.Item>
        ) : (
          <Form.Item key={f.key} name={f.key} label={f.title} className={f.kind === 'yesNo' ? 'lb-span-2' : 'lb-span-1'}>
            {f.kind === 'yesNo' ? (
              <Radio.Group><Radio value={true}>是</Radio><Radio value={false}>否</Radio></Radio.Group>
            ) : f.kind === 'select' ? <Select options={BENCH_OPTIONS} allowClear placeholder="请选择" /> : <Input maxLength={100} />}
          </Form.Item>
        ))}
      </div>
    </Form>
  );
}

/** True once the dependent field f1 is in the DOM. */
const dependentShown = () => !!document.querySelector('[data-path="f1"], #f1');

/** Resolves after the next two animation frames: the page has painted and is idle again. */
export const settle = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

/**
 * Clicks 是/否 on f0 and resolves with the ms from the click until f1 has appeared / disappeared
 * in the DOM **and the page's style and layout are up to date**: a MutationObserver sees f1
 * change, then reading `offsetHeight` forces style recalculation and layout (the same point for
 * both implementations; painting and compositing, done later in the frame, are not included).
 */
function toggle(): Promise<number> {
  const want = !dependentShown();
  const radios = document.querySelectorAll<HTMLInputElement>('[data-path="f0"] input[type="radio"], #f0 input[type="radio"]');
  const target = radios[want ? 0 : 1]!;
  return new Promise((resolve) => {
    let t0 = 0;
    const finish = () => { void document.body.offsetHeight; resolve(performance.now() - t0); };
    const obs = new MutationObserver(() => { if (dependentShown() === want) { obs.disconnect(); finish(); } });
    obs.observe(document.body, { childList: true, subtree: true });
    t0 = performance.now();
    target.click();
    // A change made within the click itself is seen too: the observer's records come after it.
  });
}

/** Mounts the chosen implementation into #bench-root synchronously and records the time. */
export function mountFormsBench(container: HTMLElement, impl: string, n: number): number {
  const root = createRoot(container);
  const schema = impl === 'antd' ? undefined : benchSchema(n);
  const t0 = performance.now();
  flushSync(() => root.render(impl === 'antd' ? <AntdBaseline n={n} /> : <FormRenderer schema={schema!} />));
  void container.offsetHeight; // include style and layout
  const mountMs = performance.now() - t0;
  window.__formsBench = { mountMs, toggle, settle };
  return mountMs;
}

export function FormsBenchPage() {
  const params = new URLSearchParams(window.location.search);
  const impl = params.get('impl') ?? 'lianban';
  const n = Math.min(2000, Math.max(2, Number(params.get('fields') ?? 500) || 500));
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Outside React's commit phase, so the measured render is a synchronous one of its own.
    const t = setTimeout(() => { if (ref.current) mountFormsBench(ref.current, impl, n); }, 0);
    return () => clearTimeout(t);
  }, [impl, n]);
  return (
    <main>
      <p className="lb-no-print">bench: {impl}, {n} fields</p>
      <div ref={ref} />
    </main>
  );
}
