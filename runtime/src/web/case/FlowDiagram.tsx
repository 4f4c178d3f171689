/** The case's flow diagram with done and current steps highlighted (bpmn-js, lazy). */
import { useEffect, useRef, useState } from 'react';
import { Alert, Spin } from 'antd';
import { api, type CaseFlow } from '../api/index';
import { t } from '../i18n';
import './case.css';

export function FlowDiagram({ caseId, revision }: { caseId: string; revision?: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');
  useEffect(() => {
    let cancelled = false;
    let view: { destroy(): void } | undefined;
    setState('loading');
    (async () => {
      const flow: CaseFlow = await api.flow(caseId);
      const { showFlow } = await import('./flow-viewer');
      if (cancelled || !ref.current) return;
      ref.current.replaceChildren();
      view = await showFlow(ref.current, flow);
      if (cancelled) view.destroy();
      else setState('ready');
    })().catch((e: Error) => { if (!cancelled) setState(e.message || '流程图加载失败'); });
    return () => { cancelled = true; view?.destroy(); };
  }, [caseId, revision]);
  return (
    <div className="lb-flow">
      {state === 'loading' ? <Spin className="lb-flow-spin" /> : null}
      {state !== 'loading' && state !== 'ready' ? <Alert type="error" message={state} /> : null}
      <div ref={ref} className="lb-flow-canvas" data-state={state} role="figure" aria-label={t('case.diagram')} />
      <div className="lb-muted">{t('case.diagramLegend')}</div>
    </div>
  );
}
